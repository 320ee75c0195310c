//! `zkcomply service new-api-key | new-encryption-key` and configuration
//! checking: the sample configuration loads, and a bad one stops
//! `zkcomply serve` at once with the file and the option named (exit 2).

use std::path::Path;
use std::process::{Command, Output};

use zkcomply_service::Settings;

fn zkcomply(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zkcomply")).args(args).output().unwrap()
}

#[test]
fn the_sample_configuration_loads_with_its_documented_values() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/serve.sample.toml");
    let settings = Settings::load(&sample).unwrap();
    assert_eq!(settings.workers, 1);
    assert_eq!(settings.max_pending_jobs, 2);
    assert!(settings.database_url.starts_with("sqlite://") && settings.database_url.contains("zkcomply-jobs.db"));
    assert_eq!(settings.config.api_keys.len(), 1);
    assert_eq!(settings.config.keys.len(), 1, "one keys directory, written as a single path");
    assert!(settings.config.keys[0].starts_with(sample.parent().unwrap()), "resolved beside the file");
}

#[test]
fn the_sample_batch_options_load_when_uncommented() {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/serve.sample.toml");
    let text = std::fs::read_to_string(&sample).unwrap();
    let mut uncommented = 0;
    let text: String = text
        .lines()
        .map(|line| {
            let option = ["# batch_keys = ", "# batch_public_key = ", "# require_batch_signature = "]
                .iter()
                .any(|prefix| line.starts_with(prefix));
            uncommented += usize::from(option);
            format!("{}\n", if option { &line[2..] } else { line })
        })
        .collect();
    assert_eq!(uncommented, 3, "the sample documents batch_keys, batch_public_key and require_batch_signature");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("serve.toml");
    std::fs::write(&config, text).unwrap();
    let settings = Settings::load(&config).unwrap();
    assert!(settings.config.batch_keys.as_ref().is_some_and(|p| p.starts_with(dir.path())), "resolved beside the file");
    let client = &settings.config.api_keys[0];
    assert!(client.batch_verifying_key.is_some() && client.require_batch_signature);
}

#[test]
fn key_commands_write_private_files_and_a_usable_entry() {
    let dir = tempfile::tempdir().unwrap();
    let key_out = dir.path().join("wallet.key");
    let out = zkcomply(&["service", "new-api-key", "--name", "wallet", "--key-out", key_out.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let entry = String::from_utf8(out.stdout).unwrap();
    let key = std::fs::read_to_string(&key_out).unwrap().trim().to_string();
    assert!(key.starts_with("zkc_") && key.len() == 68, "{key}");
    assert!(!entry.contains(&key), "the entry holds only the hash");
    assert!(entry.contains(&zkcomply_service::auth::key_sha256(&key)), "{entry}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key_out).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // Never overwrites.
    let again = zkcomply(&["service", "new-api-key", "--name", "wallet", "--key-out", key_out.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&key_out).unwrap().trim(), key);
    let bad_name = zkcomply(&["service", "new-api-key", "--name", "a\"b", "--key-out", "unused"]);
    assert_eq!(bad_name.status.code(), Some(2));

    let enc = dir.path().join("service_key.hex");
    assert!(zkcomply(&["service", "new-encryption-key", "--out", enc.to_str().unwrap()]).status.success());
    let hex_key = std::fs::read_to_string(&enc).unwrap();
    assert_eq!(hex_key.trim().len(), 64);
    assert!(zkcomply_service::sealing::Sealer::from_key_file(&enc).is_ok());
    assert_eq!(zkcomply(&["service", "new-encryption-key", "--out", enc.to_str().unwrap()]).status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&enc).unwrap(), hex_key);

    // The printed entry completes a configuration.
    let config = dir.path().join("serve.toml");
    std::fs::write(
        &config,
        format!("keys = \"k\"\ntrees = [\"t\"]\nencryption_key_file = \"service_key.hex\"\n{entry}"),
    )
    .unwrap();
    let settings = Settings::load(&config).unwrap();
    assert_eq!(settings.config.api_keys[0].name, "wallet");
}

#[test]
fn a_bad_configuration_stops_serve_naming_the_file_and_option() {
    let dir = tempfile::tempdir().unwrap();
    let write = |text: &str| {
        let path = dir.path().join("serve.toml");
        std::fs::write(&path, text).unwrap();
        path
    };
    let base = "keys = \"k\"\ntrees = [\"t\"]\nencryption_key_file = \"missing.hex\"\n\
                [[api_keys]]\nname = \"w\"\nsha256 = \"0000000000000000000000000000000000000000000000000000000000000000\"\n";
    for (text, expect) in [
        (format!("wokers = 2\n{base}"), "wokers"),
        (base.replace("sha256 = \"0000", "sha256 = \"zz00"), "sha256"),
        (format!("workers = 0\n{base}"), "workers"),
        (format!("database_url = \"mysql://x\"\n{base}"), "database_url"),
        (format!("lease_seconds = 1\n{base}"), "lease_seconds"),
        // Values whose arithmetic would overflow (milliseconds, instants).
        (format!("workers = 100000\n{base}"), "workers: expected 1 to 1024"),
        (format!("max_pending_jobs = 9223372036854775807\n{base}"), "max_pending_jobs"),
        (format!("lease_seconds = 9223372036854775807\n{base}"), "lease_seconds: expected at most 86400"),
        (format!("max_wait_seconds = 9223372036854775807\n{base}"), "max_wait_seconds"),
        (format!("shutdown_grace_seconds = 100000\n{base}"), "shutdown_grace_seconds"),
        (base.to_string(), "missing.hex"),
    ] {
        let path = write(&text);
        let out = zkcomply(&["serve", "--config", path.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{text}\n{stderr}");
        assert!(stderr.contains(expect), "expected {expect:?} named: {stderr}");
    }
    let out = zkcomply(&["serve", "--config", dir.path().join("absent.toml").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("absent.toml"));
}
