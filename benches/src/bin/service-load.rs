//! Load test of `zkcomply serve` against the raw prover, on loopback only.
//!
//! 1. The raw prover: `--raw` proofs one after another in this process
//!    (`prove_bundle`): single-proof latency p50/p99 and throughput.
//! 2. The service, in this process on 127.0.0.1 with a SQLite store in a
//!    temporary directory and the default `workers` and `max_pending_jobs`
//!    unless given: open-loop arrivals at `--load` times the raw prover's
//!    throughput (default 2x), each `POST /v1/proofs?wait=60` with its own
//!    withdrawal and Idempotency-Key; accepted jobs' latency (request to
//!    bundle), 429s, and completed jobs per second.
//!
//! Bounded: stops sending after `--requests` requests or `--seconds`
//! seconds, whichever comes first, then waits for the accepted jobs.
//!
//! ```sh
//! cargo run --release -p zkcomply-benches --bin service-load -- --requests 120
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use serde_json::{json, Value};
use zkcomply_benches::BenchFixture;
use zkcomply_prover::prove::prove_bundle;
use zkcomply_prover::setup::KeysDir;
use zkcomply_prover::witness::ProofRequest;
use zkcomply_service::{auth, sealing::Sealer, Settings};

#[derive(Parser)]
#[command(about = "Load test: zkcomply serve against the raw prover (loopback, bounded)")]
struct Args {
    /// Requests to send to the service at most.
    #[arg(long, default_value_t = 120)]
    requests: usize,
    /// Seconds to keep sending at most.
    #[arg(long, default_value_t = 120)]
    seconds: u64,
    /// Offered load as a multiple of the raw prover's throughput.
    #[arg(long, default_value_t = 2.0)]
    load: f64,
    /// Raw proofs to time first.
    #[arg(long, default_value_t = 20)]
    raw: usize,
    /// The service's `workers` (default: its own default, the cores).
    #[arg(long)]
    workers: Option<usize>,
    /// The service's `max_pending_jobs` (default: its own default).
    #[arg(long)]
    max_pending_jobs: Option<usize>,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(f64::total_cmp);
    v
}

fn main() {
    let args = Args::parse();
    let fixture = BenchFixture::new();
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    println!("# zkcomply serve load test ({cores} cores)");

    // 1. The raw prover.
    let keys = KeysDir::load(&fixture.keys_dir()).expect("keys");
    let request = ProofRequest::load_dir(fixture.root()).expect("demo request");
    prove_bundle(&request, &keys).expect("warm-up proof");
    let start = Instant::now();
    let raw: Vec<f64> = (0..args.raw)
        .map(|_| {
            let t = Instant::now();
            prove_bundle(&request, &keys).expect("proof");
            t.elapsed().as_secs_f64()
        })
        .collect();
    let raw_throughput = args.raw as f64 / start.elapsed().as_secs_f64();
    let raw = sorted(raw);
    let (raw_p50, raw_p99) = (percentile(&raw, 50.0), percentile(&raw, 99.0));
    println!(
        "raw prover: {} proofs one after another: p50 {:.3} s, p99 {:.3} s, {:.3} proofs/s",
        args.raw, raw_p50, raw_p99, raw_throughput
    );
    drop(keys);

    // 2. The service.
    let dir = tempfile::tempdir().expect("temporary directory");
    std::fs::write(dir.path().join("service_key.hex"), Sealer::new_key_hex()).expect("key file");
    let api_key = auth::new_api_key();
    let mut config = format!(
        "listen = \"127.0.0.1:0\"\nkeys = \"{}\"\ntrees = [\"{}\", \"{}\", \"{}\"]\n\
         encryption_key_file = \"service_key.hex\"\nlog = \"warn\"\n",
        fixture.keys_dir().display(),
        fixture.path("identity_tree.json").display(),
        fixture.path("address_tree.json").display(),
        fixture.path("revocation_tree.json").display(),
    );
    if let Some(w) = args.workers {
        config += &format!("workers = {w}\n");
    }
    if let Some(m) = args.max_pending_jobs {
        config += &format!("max_pending_jobs = {m}\n");
    }
    config += &format!(
        "[[api_keys]]\nname = \"load\"\nsha256 = \"{}\"\nrequests_per_minute = 100000\nburst = 10000\n",
        auth::key_sha256(&api_key)
    );
    let config_path = dir.path().join("serve.toml");
    std::fs::write(&config_path, config).expect("config");
    let settings = Settings::load(&config_path).expect("settings");
    println!(
        "service: workers {}, max_pending_jobs {}, SQLite store, loopback",
        settings.workers, settings.max_pending_jobs
    );
    let body = |i: usize| -> Value {
        let read = |f: &str| -> Value {
            serde_json::from_str(&std::fs::read_to_string(fixture.path(f)).expect("demo file")).expect("json")
        };
        let mut withdrawal = read("withdrawal.json");
        withdrawal["withdrawal_id"] = json!(format!("load-{i}"));
        json!({"credential": read("credential.json"), "withdrawal": withdrawal, "policy": read("policy.json")})
    };
    let bodies: Vec<Value> = (0..args.requests).map(body).collect();

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("address"));
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(zkcomply_service::serve_until(settings, listener, async {
            let _ = stop_rx.await;
        }));
        let client = reqwest::Client::builder().timeout(Duration::from_secs(120)).build().expect("client");
        // Ready?
        for _ in 0..200 {
            if client.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status().is_success()) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let interval = Duration::from_secs_f64(1.0 / (args.load * raw_throughput));
        println!(
            "offered load: {:.2}x the raw prover = one request every {:.3} s, up to {} requests or {} s",
            args.load,
            interval.as_secs_f64(),
            args.requests,
            args.seconds
        );
        let api_key = Arc::new(api_key);
        let started = Instant::now();
        let mut tasks = Vec::new();
        let mut ticker = tokio::time::interval(interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
        for (i, body) in bodies.into_iter().enumerate() {
            ticker.tick().await;
            if started.elapsed() > Duration::from_secs(args.seconds) {
                break;
            }
            let client = client.clone();
            let url = format!("{base}/v1/proofs?wait=60");
            let key = Arc::clone(&api_key);
            tasks.push(tokio::spawn(async move {
                let t = Instant::now();
                let response = client
                    .post(url)
                    .bearer_auth(key.as_str())
                    .header("Idempotency-Key", format!("load-{i}"))
                    .json(&body)
                    .send()
                    .await;
                let status = response.as_ref().map(|r| r.status().as_u16()).unwrap_or(0);
                let state = match response {
                    Ok(r) => r.json::<Value>().await.ok().and_then(|v| v["state"].as_str().map(str::to_string)),
                    Err(_) => None,
                };
                (status, state, t.elapsed().as_secs_f64(), started.elapsed().as_secs_f64())
            }));
        }
        let sent = tasks.len();
        let mut accepted = Vec::new();
        let mut rejected = 0usize;
        let mut other = Vec::new();
        let mut last_done = 0f64;
        for task in tasks {
            let (status, state, latency, done_at) = task.await.expect("request task");
            match (status, state.as_deref()) {
                (201, Some("succeeded")) => {
                    accepted.push(latency);
                    last_done = last_done.max(done_at);
                }
                (429, _) => rejected += 1,
                (s, st) => other.push(format!("{s} {st:?}")),
            }
        }
        let _ = stop_tx.send(());
        let _ = server.await;
        let completed = accepted.len();
        let throughput = completed as f64 / last_done.max(f64::MIN_POSITIVE);
        let accepted = sorted(accepted);
        let (p50, p99) = (percentile(&accepted, 50.0), percentile(&accepted, 99.0));
        println!(
            "service: {sent} sent in {:.1} s, {completed} proved, {rejected} refused with 429, {} other",
            started.elapsed().as_secs_f64(),
            other.len()
        );
        if !other.is_empty() {
            println!("  other responses: {other:?}");
        }
        println!(
            "service: accepted jobs' latency p50 {p50:.3} s, p99 {p99:.3} s; {throughput:.3} proofs/s"
        );
        println!();
        println!("| | p50 | p99 | proofs/s |");
        println!("|---|---|---|---|");
        println!("| raw prover, one at a time | {raw_p50:.3} s | {raw_p99:.3} s | {raw_throughput:.3} |");
        println!(
            "| service at {:.1}x load ({completed} accepted, {rejected} refused) | {p50:.3} s | {p99:.3} s | {throughput:.3} |",
            args.load
        );
        println!();
        println!(
            "accepted p99 / raw single proof (p50): {:.2} (target < 2); throughput / raw: {:.2} (target >= 0.9); 429s: {}",
            p99 / raw_p50,
            throughput / raw_throughput,
            if rejected > 0 { "yes" } else { "none" }
        );
    });
}
