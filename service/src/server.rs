//! Serving: binding the listener, starting the workers, graceful shutdown
//! on SIGTERM or Ctrl-C, and the process entry point of `zkcomply serve`
//! (logging, panic reports, the runtime).

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use crate::config::Settings;
use crate::error::ServiceError;
use crate::state::build_state;
use crate::{api, worker};

fn worker_id(index: usize) -> String {
    use rand::RngCore;
    // The host name only labels the worker: "host" when it cannot be read.
    let host = std::fs::read_to_string("/etc/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "host".to_string());
    let mut tag = [0u8; 3];
    rand::rngs::OsRng.fill_bytes(&mut tag);
    format!("{host}-{}-{}-w{index}", std::process::id(), hex::encode(tag))
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}

/// Serves until SIGTERM or Ctrl-C, then stops accepting, lets running
/// proofs finish for up to `shutdown_grace_seconds`, puts back in the
/// queue those that did not, and returns.
///
/// # Errors
/// [`ServiceError`] when start-up fails.
pub async fn serve(settings: Settings) -> Result<(), ServiceError> {
    let listen = settings.config.listen;
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| ServiceError::Io(std::io::Error::new(e.kind(), format!("listen {listen}: {e}"))))?;
    serve_until(settings, listener, shutdown_signal()).await
}

/// Serves on `listener` until `shutdown` completes, then shuts down as
/// [`serve`] does (for embedding the service, and for the load test).
///
/// # Errors
/// [`ServiceError`] when start-up fails.
pub async fn serve_until(
    settings: Settings,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServiceError> {
    let grace = Duration::from_secs(settings.config.shutdown_grace_seconds);
    let state = build_state(settings).await?;
    let address = listener.local_addr()?;
    let workers: Vec<_> =
        (0..state.settings.workers).map(|i| tokio::spawn(worker::run(Arc::clone(&state), worker_id(i)))).collect();
    tracing::info!(
        database = if state.store.is_postgres() { "postgres" } else { "sqlite" },
        workers = state.settings.workers,
        max_pending_jobs = state.settings.max_pending_jobs,
        "listening on http://{address}"
    );
    let shutdown_state = Arc::clone(&state);
    axum::serve(listener, api::router(Arc::clone(&state)))
        .with_graceful_shutdown(async move {
            shutdown.await;
            tracing::info!("shutting down: no new jobs; running proofs get {}s to finish", grace.as_secs());
            shutdown_state.stop_claiming.send_replace(true);
        })
        .await?;
    let grace_state = Arc::clone(&state);
    let timer = tokio::spawn(async move {
        tokio::time::sleep(grace).await;
        grace_state.grace_over.send_replace(true);
    });
    for w in workers {
        let _ = w.await;
    }
    timer.abort();
    tracing::info!("stopped");
    Ok(())
}

/// The tracing filter for the `log` setting: a bare level applies to the
/// service's own messages, other crates log warnings only (arkworks' spans
/// would print whole constraint systems). Anything else is used as written
/// (`EnvFilter` directives).
fn log_directives(log: &str) -> String {
    if ["off", "error", "warn", "info", "debug", "trace"].contains(&log) {
        format!("warn,gr1cs=off,r1cs=off,zkcomply_service={log}")
    } else {
        log.to_string()
    }
}

/// `zkcomply serve --config FILE`: loads the configuration, starts logging
/// to standard error and serves on a multi-threaded runtime.
///
/// # Errors
/// [`ServiceError`] when start-up fails.
pub fn run(config_path: &Path) -> Result<(), ServiceError> {
    let settings = Settings::load(config_path)?;
    let filter = tracing_subscriber::EnvFilter::try_new(log_directives(&settings.config.log))
        .map_err(|e| ServiceError::Config { path: config_path.display().to_string(), message: format!("log: {e}") })?;
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
    // A panic's message could quote data; report where, never what.
    std::panic::set_hook(Box::new(|info| {
        let at =
            info.location().map_or_else(|| "an unknown location".to_string(), |l| format!("{}:{}", l.file(), l.line()));
        eprintln!("zkcomply serve: internal error (panic at {at})");
    }));
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    let result = runtime.block_on(serve(settings));
    // A proof still running after the grace period was put back in the
    // queue: do not wait for its thread.
    runtime.shutdown_timeout(Duration::from_millis(100));
    result
}
