//! The CPU features this build was compiled to use, checked against the
//! CPU it runs on.
//!
//! The workspace's `.cargo/config.toml` compiles x86-64 Linux builds with
//! `+bmi2,+adx`, which ark-ff's field assembly uses. Such a binary would
//! die with SIGILL (an illegal instruction) on a CPU without them (before
//! Intel Broadwell or AMD Zen). The shipped binaries (`zkcomply`,
//! `zkcomply-verify`) call [`check`] first, so they refuse with a message
//! instead.

/// A CPU feature this build needs that the CPU does not have.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "this build of zkcomply uses the x86-64 instructions {missing:?}, which this CPU does not have; \
     rebuild without them: RUSTFLAGS=\"\" cargo build --release"
)]
pub struct MissingCpuFeatures {
    /// The features compiled in and missing, by their `/proc/cpuinfo` names.
    pub missing: Vec<&'static str>,
}

/// The features compiled into this build that the CPU must have, by their
/// `/proc/cpuinfo` names.
pub fn compiled_features() -> Vec<&'static str> {
    let mut features = Vec::new();
    if cfg!(target_feature = "bmi2") {
        features.push("bmi2");
    }
    if cfg!(target_feature = "adx") {
        features.push("adx");
    }
    features
}

/// The features of `compiled` missing from a `/proc/cpuinfo` text (the
/// first `flags` line). Nothing is missing when the text has no `flags`
/// line: the check cannot tell, and the build is left to run.
pub fn missing_from_cpuinfo(compiled: &[&'static str], cpuinfo: &str) -> Vec<&'static str> {
    let Some(flags) =
        cpuinfo.lines().find_map(|l| l.strip_prefix("flags").and_then(|r| r.trim_start().strip_prefix(':')))
    else {
        return Vec::new();
    };
    let present: Vec<&str> = flags.split_whitespace().collect();
    compiled.iter().copied().filter(|f| !present.contains(f)).collect()
}

/// Checks that the CPU has every feature this build was compiled to use.
/// Reads `/proc/cpuinfo` on Linux (reading CPUID itself needs `unsafe`
/// on the toolchains this crate supports, and `is_x86_feature_detected!`
/// answers "yes" for any feature enabled at compile time). Elsewhere, or
/// when nothing extra was compiled in, it passes.
///
/// # Errors
/// [`MissingCpuFeatures`] naming the missing instructions.
pub fn check() -> Result<(), MissingCpuFeatures> {
    let compiled = compiled_features();
    if compiled.is_empty() || !cfg!(target_os = "linux") {
        return Ok(());
    }
    let Ok(cpuinfo) = std::fs::read_to_string("/proc/cpuinfo") else {
        return Ok(());
    };
    let missing = missing_from_cpuinfo(&compiled, &cpuinfo);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(MissingCpuFeatures { missing })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cpu_without_bmi2_is_refused_by_name() {
        let old = "processor\t: 0\nflags\t\t: fpu sse sse2 ssse3 sse4_1 sse4_2 popcnt avx\n";
        assert_eq!(missing_from_cpuinfo(&["bmi2", "adx"], old), vec!["bmi2", "adx"]);
        let err = MissingCpuFeatures { missing: vec!["bmi2"] }.to_string();
        assert!(err.contains("bmi2") && err.contains("RUSTFLAGS"), "{err}");
    }

    #[test]
    fn a_recent_cpu_passes() {
        let new = "flags\t\t: fpu sse2 avx2 bmi1 bmi2 adx sha_ni\nflags\t: nothing\n";
        assert!(missing_from_cpuinfo(&["bmi2", "adx"], new).is_empty());
        assert!(missing_from_cpuinfo(&["bmi2"], "no flags here").is_empty());
    }

    #[test]
    fn this_machine_runs_this_build() {
        assert_eq!(check(), Ok(()));
    }
}
