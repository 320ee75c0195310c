//! `zkcomply demo`: the whole flow on embedded defaults, leaving every
//! artefact in one directory and printing each step with its time.
//!
//! The lists come from the caller ([`DemoLists`]): the `zkcomply` binary
//! embeds the real OFAC SDN digital-currency address list (2024-09-27
//! extraction) shipped in `data/ofac-sdn-addresses/` and the synthetic
//! identity list in `data/identities/`. The proof systems are the
//! caller's choice ([`DemoBackends`]): Groth16 keys come from a
//! development setup, which the demo's policy accepts explicitly; halo2
//! keys need no setup. With both, one credential and one set of trees give
//! a bundle in each, verified under one policy that pins a key per backend.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rand::rngs::OsRng;
use zkcomply_circuits::encoding::identity_hash;
use zkcomply_circuits::imt::IndexedMerkleTree;
use zkcomply_circuits::TREE_DEPTH;
use zkcomply_verifier::limits::MAX_WITHDRAWAL_BYTES;
use zkcomply_verifier::policy::{Policy, POLICY_V1};
use zkcomply_verifier::policy_labels::{IssuerLabel, PolicyLabels, RootLabel};
use zkcomply_verifier::values::{Amount, FieldElement, SafeInt};
use zkcomply_verifier::withdrawal::{Withdrawal, WITHDRAWAL_V1};
use zkcomply_verifier::{read_text, write_atomic, FormatError};
use zkcomply_verifier::{verify_batch_bundle, verify_bundle};

use crate::batch::{prove_batch, BatchRequest};
use crate::holder::{accept, HolderFile};
use crate::issuer::{issue, IssueRequest, IssuerKeyFile};
use crate::layout;
use crate::lists::{keys_from_text, MAX_LIST_FILE_BYTES};
use crate::prove::prove_bundle;
use crate::setup::{development_batch_setup, development_setup, KeysDir};
use crate::tree_file::{TreeFile, TreeKind};
use crate::witness::ProofRequest;
use crate::{write_json, DemoFailure, ProverError, TreeError};
use zkcomply_verifier::backend::Backend;
use zkcomply_verifier::VerifyingKeyFile;

/// An address on the OFAC ETH list (a proof from it must be impossible).
pub const SANCTIONED_ETH_ADDRESS: &str = "0x8589427373D6D84E98730D7795D8f6f8731FDA16";

/// One plain list (one entry per line) and the name its errors cite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedList {
    /// The list's name (its file name).
    pub name: String,
    /// The list's text.
    pub text: String,
}

/// The sanctions lists the demo builds its trees from. The `zkcomply`
/// binary embeds the ones shipped in `data/`; a library user reads them
/// with [`DemoLists::from_data_dir`] or brings their own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoLists {
    /// Address lists (the OFAC SDN digital-currency addresses, one file
    /// per asset).
    pub address_lists: Vec<NamedList>,
    /// The identity list.
    pub identity_list: NamedList,
    /// What the address lists are, for people (`OFAC SDN digital-currency
    /// addresses, extracted 2024-09-27`): the demo policy's label for the
    /// address root.
    pub address_source: String,
    /// What the identity list is, for people.
    pub identity_source: String,
}

/// Where the OFAC address lists sit under a data directory.
pub const OFAC_DIR: &str = "ofac-sdn-addresses";
/// Where the synthetic identity list sits under a data directory.
pub const IDENTITY_LIST: &str = "identities/synthetic-sanctioned-identities.txt";

impl DemoLists {
    /// Reads the lists laid out as in the repository's `data/`:
    /// `ofac-sdn-addresses/sanctioned_addresses_*.txt` (in name order) and
    /// `identities/synthetic-sanctioned-identities.txt`.
    ///
    /// # Errors
    /// [`FormatError::Io`] naming the directory or file that cannot be read.
    pub fn from_data_dir(dir: &Path) -> Result<Self, ProverError> {
        let ofac = dir.join(OFAC_DIR);
        let entries =
            std::fs::read_dir(&ofac).map_err(|source| FormatError::Io { path: ofac.display().to_string(), source })?;
        let mut paths = Vec::new();
        for entry in entries {
            let path = entry.map_err(|source| FormatError::Io { path: ofac.display().to_string(), source })?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with("sanctioned_addresses_") && name.ends_with(".txt") {
                paths.push(path);
            }
        }
        paths.sort();
        let named = |path: &Path| -> Result<NamedList, ProverError> {
            let name =
                path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
            Ok(NamedList { name, text: read_text(path, &MAX_LIST_FILE_BYTES)? })
        };
        Ok(Self {
            address_lists: paths.iter().map(|p| named(p)).collect::<Result<_, _>>()?,
            identity_list: named(&dir.join(IDENTITY_LIST))?,
            address_source: format!("sanctioned addresses from {}", ofac.display()),
            identity_source: format!("sanctioned identities from {}", dir.join(IDENTITY_LIST).display()),
        })
    }

    /// Builds the address tree from the address lists.
    ///
    /// # Errors
    /// [`ProverError`] naming the list and line of a bad entry.
    pub fn address_tree(&self) -> Result<IndexedMerkleTree, ProverError> {
        let mut keys = Vec::new();
        for list in &self.address_lists {
            keys.extend(keys_from_text(TreeKind::Address, &list.name, &list.text)?);
        }
        Ok(IndexedMerkleTree::from_keys(TREE_DEPTH, keys).map_err(TreeError::from)?)
    }

    /// Builds the identity tree from the identity list.
    ///
    /// # Errors
    /// [`ProverError`] naming the line of a bad entry.
    pub fn identity_tree(&self) -> Result<IndexedMerkleTree, ProverError> {
        let keys = keys_from_text(TreeKind::Identity, &self.identity_list.name, &self.identity_list.text)?;
        Ok(IndexedMerkleTree::from_keys(TREE_DEPTH, keys).map_err(TreeError::from)?)
    }
}

/// The proof systems the demo proves with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DemoBackends {
    /// Groth16 only (keys from a development setup).
    #[default]
    Groth16,
    /// halo2 only (no setup).
    Halo2,
    /// Both: Groth16's files where the Groth16 demo writes them, halo2's
    /// under `halo2/`.
    Both,
}

impl DemoBackends {
    /// The backends, the first one's files at the top of the directory.
    fn list(self) -> &'static [Backend] {
        match self {
            Self::Groth16 => &[Backend::Groth16Bn254],
            Self::Halo2 => &[Backend::Halo2IpaBn254],
            Self::Both => &[Backend::Groth16Bn254, Backend::Halo2IpaBn254],
        }
    }
}

/// Where one backend's keys, verifying key and bundle go: at the top of
/// the demo directory for the first backend, under `halo2/` for halo2 when
/// it comes second (with its own withdrawal, `halo2/withdrawal.json`).
fn backend_dir(dir: &Path, index: usize) -> PathBuf {
    if index == 0 {
        dir.to_path_buf()
    } else {
        dir.join(layout::SECOND_BACKEND)
    }
}

/// Makes one backend's keys in `dir` and loads them.
fn make_keys(dir: &Path, backend: Backend) -> Result<KeysDir, ProverError> {
    let keys = dir.join(layout::KEYS);
    let vk = if backend == Backend::Halo2IpaBn254 {
        let vk = VerifyingKeyFile::generate_halo2()
            .map_err(|e| FormatError::invalid("verifying key", "key", e.to_string()))?;
        KeysDir::save_halo2(&keys, &vk)?;
        vk
    } else {
        let (pk, vk) = development_setup(&mut OsRng)?;
        KeysDir::save(&keys, &pk, &vk)?;
        vk
    };
    write_atomic(&dir.join(layout::VERIFYING_KEY), vk.to_json().as_bytes())?;
    KeysDir::load(&keys)
}

fn step<T>(n: usize, what: &str, f: impl FnOnce() -> Result<T, ProverError>) -> Result<T, ProverError> {
    let start = Instant::now();
    let out = f()?;
    println!("[{n:>2}] {what:<58} {:>8.3} s", start.elapsed().as_secs_f64());
    Ok(out)
}

/// Runs the demo into `dir`, building the sanctions trees from `lists`
/// and proving with `backends`.
///
/// # Errors
/// [`ProverError`] at the first step that fails.
pub fn run(dir: &Path, lists: &DemoLists, backends: DemoBackends) -> Result<(), ProverError> {
    run_with_batch(dir, lists, backends, None)
}

/// The demo's payroll: `slots` withdrawals of the demo holder to distinct
/// destinations, each its own id and amount, from the demo withdrawal's
/// source, exchange, asset and time.
pub fn payroll(first: &Withdrawal, slots: usize) -> Vec<Withdrawal> {
    (0..slots)
        .map(|i| Withdrawal {
            withdrawal_id: format!("payroll-{}-{:02}", first.withdrawal_id, i + 1),
            destination_address: format!("0x{:040x}", 0x5a1a_0000 + i),
            amount: Amount(10_000_000_000_000_000 * (i as u128 + 1)),
            ..first.clone()
        })
        .collect()
}

/// As [`run`]; with `batch_slots`, also batch keys of that many slots (in
/// `batch/`, pinned by the policy beside the single key) and a batch of
/// that many payroll withdrawals ([`payroll`]) proved and verified.
///
/// # Errors
/// [`ProverError`] at the first step that fails.
pub fn run_with_batch(
    dir: &Path,
    lists: &DemoLists,
    backends: DemoBackends,
    batch_slots: Option<usize>,
) -> Result<(), ProverError> {
    std::fs::create_dir_all(dir)
        .map_err(|source| zkcomply_verifier::FormatError::Io { path: dir.display().to_string(), source })?;
    let at = |f: &str| -> PathBuf { dir.join(f) };
    let now = crate::unix_now();
    let mut rng = OsRng;
    println!("zkcomply demo: writing every artefact to {}", dir.display());

    let issuer = step(1, "issuer: generate an EdDSA-Poseidon key", || {
        let k = IssuerKeyFile::generate(&mut rng);
        write_json(&at(layout::ISSUER_KEY), &k)?;
        Ok(k)
    })?;
    let holder = step(2, "holder: generate a secret and id_commitment", || {
        let h = HolderFile::generate(&mut rng);
        write_json(&at(layout::HOLDER), &h)?;
        Ok(h)
    })?;
    let credential = step(3, "issuer: sign a tier-2 credential for the holder", || {
        let req = IssueRequest {
            id_commitment: holder.id_commitment.0,
            kyc_tier: 2,
            jurisdiction: 276,
            identity_hash: identity_hash("Jane Example|1990-01-01|DE")
                .expect("the demo's identity line is NAME|YYYY-MM-DD|CC"),
            expires_at: now + 365 * 86_400,
            nonce: None,
        };
        let issued = issue(&issuer, &req, &mut rng);
        write_json(&at(layout::ISSUED_CREDENTIAL), &issued)?;
        let copy = accept(&issued, &holder)?;
        write_json(&at(layout::CREDENTIAL), &copy)?;
        Ok(copy)
    })?;
    let built_at = now;
    let (identity_root, address_root, revocation_root, root_labels) =
        step(4, "lists: build identity, OFAC address and revocation trees", || {
            let identity = TreeFile { kind: TreeKind::Identity, built_at, tree: lists.identity_tree()? };
            let address = TreeFile { kind: TreeKind::Address, built_at, tree: lists.address_tree()? };
            // The issuer has revoked some other credential.
            let revoked = IndexedMerkleTree::from_keys(TREE_DEPTH, [zkcomply_circuits::Fr::from(424_242u64)])
                .map_err(TreeError::from)?;
            let revocation = TreeFile { kind: TreeKind::Revocation, built_at, tree: revoked };
            identity.save(&at(layout::IDENTITY_TREE))?;
            address.save(&at(layout::ADDRESS_TREE))?;
            revocation.save(&at(layout::REVOCATION_TREE))?;
            println!(
                "     identity: {} entries, address: {} entries (OFAC SDN), revocation: {} entry",
                identity.tree.keys().len(),
                address.tree.keys().len(),
                revocation.tree.keys().len()
            );
            // What each root is, for the policy's labels (shown by the
            // plain-words verdict).
            let built = zkcomply_verifier::explanation::units::utc_date(built_at);
            let label = |file: &TreeFile, what: String| RootLabel {
                root: FieldElement(file.tree.root()),
                label: format!("{what}; tree built {built}"),
            };
            let root_labels = vec![
                label(&identity, format!("{} ({} entries)", lists.identity_source, identity.tree.keys().len())),
                label(&address, format!("{} ({} addresses)", lists.address_source, address.tree.keys().len())),
                label(&revocation, format!("The demo issuer's revocations ({} entry)", revocation.tree.keys().len())),
            ];
            Ok((identity.tree.root(), address.tree.root(), revocation.tree.root(), root_labels))
        })?;
    let mut all_keys = Vec::new();
    for (index, backend) in backends.list().iter().enumerate() {
        let what = match backend {
            Backend::Halo2IpaBn254 => "setup: halo2 keys (no setup: public parameters, rebuilt)",
            _ => "setup: Groth16 keys (DEVELOPMENT setup, single party)",
        };
        let backend_dir = backend_dir(dir, index);
        all_keys.push(step(5, what, || make_keys(&backend_dir, *backend))?);
    }
    let batch_dir = dir.join(layout::BATCH);
    // The batch keys, with their slots.
    let batch_keys = match batch_slots {
        None => None,
        Some(slots) => Some((
            slots,
            step(5, &format!("setup: Groth16 keys for a {slots}-slot batch (DEVELOPMENT)"), || {
                let (pk, vk) = development_batch_setup(&mut OsRng, slots)?;
                let keys = batch_dir.join(layout::KEYS);
                KeysDir::save(&keys, &pk, &vk)?;
                write_atomic(&batch_dir.join(layout::VERIFYING_KEY), vk.to_json().as_bytes())?;
                KeysDir::load_for(&keys, &vk.json.circuit_id)
            })?,
        )),
    };
    let development = all_keys.iter().any(|k| k.verifying_key.json.development_setup);
    // The keys the policy pins, per backend (a batch key beside Groth16's).
    let mut pinned: Vec<(Backend, Vec<zkcomply_verifier::values::HexDigest>)> =
        all_keys.iter().map(|k| (k.verifying_key.backend(), vec![k.verifying_key.hash()])).collect();
    if let Some((_, keys)) = &batch_keys {
        match pinned.iter_mut().find(|(b, _)| *b == Backend::Groth16Bn254) {
            Some((_, hashes)) => hashes.push(keys.verifying_key.hash()),
            None => pinned.push((Backend::Groth16Bn254, vec![keys.verifying_key.hash()])),
        }
    }
    let eth = |s: &str| -> Amount { Amount(s.parse().expect("the demo's amounts are decimal literals")) };
    let policy = Policy {
        version: POLICY_V1.into(),
        backends: Some(all_keys.iter().map(|k| k.verifying_key.backend()).collect()),
        issuers: Some(vec![credential.issuer_public_key]),
        min_tier: Some(2),
        limits: Some(
            [(
                "ETH".to_string(),
                [eth("0"), eth("1000000000000000000"), eth("10000000000000000000"), eth("100000000000000000000")],
            )]
            .into_iter()
            .collect(),
        ),
        epoch_seconds: Some(86_400),
        epoch_caps: Some([("ETH".to_string(), eth("200000000000000000000"))].into_iter().collect()),
        identity_sanctions_roots: Some(vec![FieldElement(identity_root)]),
        address_sanctions_roots: Some(vec![FieldElement(address_root)]),
        revocation_roots: Some(vec![FieldElement(revocation_root)]),
        issuer_revocation_roots: None,
        exchange_id: Some("okx-main".into()),
        blocked_jurisdictions: Some(vec![408, 364]),
        required_disclosures: Some(vec![]),
        max_clock_skew_seconds: Some(300),
        // One key: pinned by hash, as every demo policy did; several (two
        // backends, or a batch key): each pinned under its backend.
        verifying_key_hash: (pinned.len() == 1 && pinned[0].1.len() == 1).then(|| pinned[0].1[0]),
        accept_development_keys: Some(development),
        verifying_keys: (pinned.len() > 1 || pinned[0].1.len() > 1).then(|| pinned.into_iter().collect()),
        ceremony_transcripts: None,
        labels: Some(PolicyLabels {
            issuers: vec![IssuerLabel {
                key: credential.issuer_public_key,
                name: "zkcomply demo issuer (made by `zkcomply demo`)".into(),
            }],
            roots: root_labels,
            asset_decimals: Default::default(),
        }),
    };
    let withdrawal = Withdrawal {
        version: WITHDRAWAL_V1.into(),
        chain_id: SafeInt(1),
        exchange_id: "okx-main".into(),
        withdrawal_id: "w-2026-000123".into(),
        source_address: "0x2c1bA5b1A0fbc1C3ae2AC7bA0dc0CFaA72a5eE8F".into(),
        destination_address: "0x1111111111111111111111111111111111111111".into(),
        asset: "ETH".into(),
        amount: eth("250000000000000000"),
        epoch: SafeInt(now / 86_400),
        now: SafeInt(now),
    };
    step(6, "exchange: write policy; wallet: write withdrawal request", || {
        write_json(&at(layout::POLICY), &policy)?;
        write_json(&at(layout::WITHDRAWAL), &withdrawal)?;
        let mut bad = withdrawal.clone();
        bad.source_address = SANCTIONED_ETH_ADDRESS.to_lowercase();
        write_json(&at(layout::SANCTIONED_WITHDRAWAL), &bad)
    })?;
    let mut bundles = Vec::new();
    for (index, keys) in all_keys.iter().enumerate() {
        let files = backend_dir(dir, index);
        // A second proof system proves a withdrawal of its own (another
        // id), so that a log holding both bundles holds no replay.
        let mut request = ProofRequest::load_dir(dir)?;
        if index > 0 {
            request.withdrawal.withdrawal_id = format!("{}-{}", withdrawal.withdrawal_id, layout::SECOND_BACKEND);
            write_json(&files.join(layout::WITHDRAWAL), &request.withdrawal)?;
        }
        let system = keys.verifying_key.backend().proof_system();
        let bundle = step(7, &format!("wallet backend: prove the withdrawal ({system})"), || {
            let bundle = prove_bundle(&request, keys)?;
            write_atomic(&files.join(layout::BUNDLE), bundle.to_json().as_bytes())?;
            Ok(bundle)
        })?;
        let verdict = step(8, &format!("exchange: verify the bundle against its policy ({system})"), || {
            Ok(verify_bundle(&bundle, &policy, &keys.verifying_key, crate::unix_now()))
        })?;
        bundles.push((files.join(layout::BUNDLE), bundle, verdict));
    }
    step(9, "wallet backend: try a withdrawal from an OFAC address", || {
        let mut request = ProofRequest::load_dir(dir)?;
        request.withdrawal =
            Withdrawal::from_json(&read_text(&at(layout::SANCTIONED_WITHDRAWAL), &MAX_WITHDRAWAL_BYTES)?)?;
        match request.witness() {
            Err(e) => {
                println!("     refused as expected: {e}");
                Ok(())
            }
            Ok(_) => Err(DemoFailure::SanctionedAddressNotRefused.into()),
        }
    })?;
    let batch_verdict = match &batch_keys {
        None => None,
        Some((slots, keys)) => {
            let slots = *slots;
            let items = payroll(&withdrawal, slots);
            write_json(&batch_dir.join(layout::WITHDRAWALS), &items)?;
            let bundle = step(10, &format!("wallet backend: prove {slots} payroll withdrawals in one proof"), || {
                let request = BatchRequest { request: ProofRequest::load_dir(dir)?, withdrawals: items };
                let proved = prove_batch(&request, keys, false)?;
                write_atomic(&batch_dir.join(layout::BATCH_BUNDLE), proved.bundle.to_json().as_bytes())?;
                Ok(proved.bundle)
            })?;
            let verdict = step(11, "exchange: verify the batch bundle, each withdrawal", || {
                Ok(verify_batch_bundle(&bundle, &policy, &keys.verifying_key, crate::unix_now()))
            })?;
            Some((bundle, verdict))
        }
    };
    for (index, (path, bundle, verdict)) in bundles.into_iter().enumerate() {
        if !verdict.accepted {
            return Err(DemoFailure::BundleRejected(Box::new(verdict)).into());
        }
        println!("accepted: {} ({}, {} bytes)", path.display(), bundle.backend, bundle.to_json().len());
        println!(
            "check it yourself: zkcomply-verify verify {} --policy {} --vk {}",
            path.display(),
            at(layout::POLICY).display(),
            backend_dir(dir, index).join(layout::VERIFYING_KEY).display()
        );
    }
    if let Some((bundle, verdict)) = batch_verdict {
        if !verdict.accepted {
            return Err(DemoFailure::BatchRejected(Box::new(verdict)).into());
        }
        let path = batch_dir.join(layout::BATCH_BUNDLE);
        println!(
            "accepted: {} ({} withdrawals, one proof, {} bytes)",
            path.display(),
            bundle.withdrawals.len(),
            bundle.to_json().len()
        );
        println!(
            "check it yourself: zkcomply-verify verify {} --policy {} --vk {}",
            path.display(),
            at(layout::POLICY).display(),
            batch_dir.join(layout::VERIFYING_KEY).display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn repository_data() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../data")
    }

    #[test]
    fn the_shipped_lists_hold_the_sanctioned_address() {
        let lists = DemoLists::from_data_dir(&repository_data()).expect("data/");
        assert_eq!(lists.address_lists.len(), 17, "one OFAC file per asset");
        let tree = lists.address_tree().expect("address tree");
        let key = zkcomply_circuits::encoding::address_key(SANCTIONED_ETH_ADDRESS).expect("key");
        assert!(tree.keys().contains(&key));
    }

    #[test]
    fn a_missing_data_directory_is_named() {
        let err = DemoLists::from_data_dir(Path::new("no-such-data-dir")).unwrap_err().to_string();
        assert!(err.contains("no-such-data-dir"), "{err}");
    }

    #[test]
    fn a_bad_entry_names_its_list_and_line() {
        let lists = DemoLists {
            address_lists: vec![NamedList {
                name: "mine.txt".into(),
                text: format!("# header\n{}\n", "x".repeat(400)),
            }],
            identity_list: NamedList { name: "ids.txt".into(), text: "JANE DOE|1990-01-01|DE\nno date here\n".into() },
            address_source: "mine".into(),
            identity_source: "ids".into(),
        };
        let err = lists.address_tree().unwrap_err().to_string();
        assert!(err.contains("mine.txt:2"), "{err}");
        let err = lists.identity_tree().unwrap_err().to_string();
        assert!(err.contains("ids.txt:2"), "{err}");
    }
}
