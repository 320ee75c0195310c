//! `zkcomply demo`: the whole flow on embedded defaults, leaving every
//! artefact in one directory and printing each step with its time.
//!
//! The address list is the real OFAC SDN digital-currency address list
//! (2024-09-27 extraction) shipped in `data/ofac-sdn-addresses/`; the
//! identity list is the synthetic one in `data/identities/`. The keys come
//! from a development setup, which the demo's policy accepts explicitly.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rand::rngs::OsRng;
use zkcomply_circuits::encoding::identity_hash;
use zkcomply_circuits::imt::IndexedMerkleTree;
use zkcomply_circuits::TREE_DEPTH;
use zkcomply_verifier::policy::{Policy, POLICY_V1};
use zkcomply_verifier::values::{Amount, FieldElement, SafeInt};
use zkcomply_verifier::verify_bundle;
use zkcomply_verifier::withdrawal::{Withdrawal, WITHDRAWAL_V1};
use zkcomply_verifier::write_atomic;

use crate::holder::{accept, HolderFile};
use crate::issuer::{issue, IssueRequest, IssuerKeyFile};
use crate::lists::keys_from_text;
use crate::prove::prove_bundle;
use crate::setup::{development_setup, KeysDir};
use crate::tree_file::{TreeFile, TreeKind};
use crate::witness::ProofRequest;
use crate::{write_json, ProverError};

/// The OFAC SDN address lists shipped with zkcomply (file name, contents).
pub const OFAC_LISTS: &[(&str, &str)] = &[
    ("sanctioned_addresses_ARB.txt", include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_ARB.txt")),
    ("sanctioned_addresses_BCH.txt", include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_BCH.txt")),
    ("sanctioned_addresses_BSC.txt", include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_BSC.txt")),
    ("sanctioned_addresses_BSV.txt", include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_BSV.txt")),
    ("sanctioned_addresses_BTG.txt", include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_BTG.txt")),
    ("sanctioned_addresses_DASH.txt", include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_DASH.txt")),
    ("sanctioned_addresses_ETC.txt", include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_ETC.txt")),
    ("sanctioned_addresses_ETH.txt", include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_ETH.txt")),
    ("sanctioned_addresses_LTC.txt", include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_LTC.txt")),
    ("sanctioned_addresses_TRX.txt", include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_TRX.txt")),
    ("sanctioned_addresses_USDC.txt", include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_USDC.txt")),
    ("sanctioned_addresses_USDT.txt", include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_USDT.txt")),
    ("sanctioned_addresses_XBT.txt", include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_XBT.txt")),
    ("sanctioned_addresses_XMR.txt", include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_XMR.txt")),
    ("sanctioned_addresses_XRP.txt", include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_XRP.txt")),
    ("sanctioned_addresses_XVG.txt", include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_XVG.txt")),
    ("sanctioned_addresses_ZEC.txt", include_str!("../../data/ofac-sdn-addresses/sanctioned_addresses_ZEC.txt")),
];

/// The synthetic identity sanctions list shipped with zkcomply.
pub const SYNTHETIC_IDENTITIES: &str = include_str!("../../data/identities/synthetic-sanctioned-identities.txt");

/// An address on the OFAC ETH list (a proof from it must be impossible).
pub const SANCTIONED_ETH_ADDRESS: &str = "0x8589427373D6D84E98730D7795D8f6f8731FDA16";

/// File names the demo writes (the README lists them).
pub mod files {
    /// The issuer's private key.
    pub const ISSUER_KEY: &str = "issuer_key.json";
    /// The holder's secret.
    pub const HOLDER: &str = "holder.json";
    /// The issuer's copy of the credential.
    pub const ISSUED_CREDENTIAL: &str = "issued_credential.json";
    /// The holder's copy of the credential.
    pub const CREDENTIAL: &str = "credential.json";
    /// Identity sanctions tree.
    pub const IDENTITY_TREE: &str = "identity_tree.json";
    /// Address sanctions tree.
    pub const ADDRESS_TREE: &str = "address_tree.json";
    /// Revocation tree.
    pub const REVOCATION_TREE: &str = "revocation_tree.json";
    /// Proving-key directory.
    pub const KEYS: &str = "keys";
    /// Verifying key.
    pub const VERIFYING_KEY: &str = "verifying_key.json";
    /// The exchange's policy.
    pub const POLICY: &str = "policy.json";
    /// The withdrawal.
    pub const WITHDRAWAL: &str = "withdrawal.json";
    /// The proof bundle.
    pub const BUNDLE: &str = "bundle.json";
    /// A withdrawal from a sanctioned address (refused).
    pub const SANCTIONED_WITHDRAWAL: &str = "withdrawal_from_sanctioned_address.json";
}

fn step<T>(n: usize, what: &str, f: impl FnOnce() -> Result<T, ProverError>) -> Result<T, ProverError> {
    let start = Instant::now();
    let out = f()?;
    println!("[{n:>2}] {what:<58} {:>8.3} s", start.elapsed().as_secs_f64());
    Ok(out)
}

/// Builds the address tree from the embedded OFAC lists.
///
/// # Errors
/// Only if the embedded data were corrupt.
pub fn ofac_tree() -> Result<IndexedMerkleTree, ProverError> {
    let mut keys = Vec::new();
    for (name, text) in OFAC_LISTS {
        keys.extend(keys_from_text(TreeKind::Address, name, text)?);
    }
    IndexedMerkleTree::from_keys(TREE_DEPTH, keys).map_err(|e| ProverError::Tree(e.to_string()))
}

/// Builds the identity tree from the embedded synthetic list.
///
/// # Errors
/// Only if the embedded data were corrupt.
pub fn synthetic_identity_tree() -> Result<IndexedMerkleTree, ProverError> {
    let keys = keys_from_text(TreeKind::Identity, "synthetic-sanctioned-identities.txt", SYNTHETIC_IDENTITIES)?;
    IndexedMerkleTree::from_keys(TREE_DEPTH, keys).map_err(|e| ProverError::Tree(e.to_string()))
}

/// Runs the demo into `dir`.
///
/// # Errors
/// [`ProverError`] at the first step that fails.
pub fn run(dir: &Path) -> Result<(), ProverError> {
    std::fs::create_dir_all(dir)
        .map_err(|source| zkcomply_verifier::FormatError::Io { path: dir.display().to_string(), source })?;
    let at = |f: &str| -> PathBuf { dir.join(f) };
    let now = crate::unix_now();
    let mut rng = OsRng;
    println!("zkcomply demo: writing every artefact to {}", dir.display());

    let issuer = step(1, "issuer: generate an EdDSA-Poseidon key", || {
        let k = IssuerKeyFile::generate(&mut rng);
        write_json(&at(files::ISSUER_KEY), &k)?;
        Ok(k)
    })?;
    let holder = step(2, "holder: generate a secret and id_commitment", || {
        let h = HolderFile::generate(&mut rng);
        write_json(&at(files::HOLDER), &h)?;
        Ok(h)
    })?;
    let credential = step(3, "issuer: sign a tier-2 credential for the holder", || {
        let req = IssueRequest {
            id_commitment: holder.id_commitment.0,
            kyc_tier: 2,
            jurisdiction: 276,
            identity_hash: identity_hash("Jane Example|1990-01-01|DE")
                .map_err(|e| ProverError::Other(e.to_string()))?,
            expires_at: now + 365 * 86_400,
            nonce: None,
        };
        let issued = issue(&issuer, &req, &mut rng)?;
        write_json(&at(files::ISSUED_CREDENTIAL), &issued)?;
        let copy = accept(&issued, &holder)?;
        write_json(&at(files::CREDENTIAL), &copy)?;
        Ok(copy)
    })?;
    let built_at = now;
    let (identity_root, address_root, revocation_root) =
        step(4, "lists: build identity, OFAC address and revocation trees", || {
            let identity = TreeFile { kind: TreeKind::Identity, built_at, tree: synthetic_identity_tree()? };
            let address = TreeFile { kind: TreeKind::Address, built_at, tree: ofac_tree()? };
            // The issuer has revoked some other credential.
            let revoked = IndexedMerkleTree::from_keys(TREE_DEPTH, [zkcomply_circuits::Fr::from(424_242u64)])
                .map_err(|e| ProverError::Tree(e.to_string()))?;
            let revocation = TreeFile { kind: TreeKind::Revocation, built_at, tree: revoked };
            identity.save(&at(files::IDENTITY_TREE))?;
            address.save(&at(files::ADDRESS_TREE))?;
            revocation.save(&at(files::REVOCATION_TREE))?;
            println!(
                "     identity: {} entries, address: {} entries (OFAC SDN), revocation: {} entry",
                identity.tree.keys().len(),
                address.tree.keys().len(),
                revocation.tree.keys().len()
            );
            Ok((identity.tree.root(), address.tree.root(), revocation.tree.root()))
        })?;
    let keys = step(5, "setup: Groth16 keys (DEVELOPMENT setup, single party)", || {
        let (pk, vk) = development_setup(&mut rng)?;
        KeysDir::save(&at(files::KEYS), &pk, &vk)?;
        write_atomic(&at(files::VERIFYING_KEY), vk.to_json().as_bytes())?;
        KeysDir::load(&at(files::KEYS))
    })?;
    let eth = |s: &str| -> Amount { Amount(s.parse().unwrap_or(0)) };
    let policy = Policy {
        version: POLICY_V1.into(),
        backends: Some(vec![keys.verifying_key.backend()]),
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
        verifying_key_hash: Some(keys.verifying_key.hash()),
        accept_development_keys: Some(true),
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
        write_json(&at(files::POLICY), &policy)?;
        write_json(&at(files::WITHDRAWAL), &withdrawal)?;
        let mut bad = withdrawal.clone();
        bad.source_address = SANCTIONED_ETH_ADDRESS.to_lowercase();
        write_json(&at(files::SANCTIONED_WITHDRAWAL), &bad)
    })?;
    let bundle = step(7, "wallet backend: prove the withdrawal", || {
        let bundle = prove_bundle(&ProofRequest::load_dir(dir)?, &keys)?;
        write_atomic(&at(files::BUNDLE), bundle.to_json().as_bytes())?;
        Ok(bundle)
    })?;
    let verdict = step(8, "exchange: verify the bundle against its policy", || {
        Ok(verify_bundle(&bundle, &policy, &keys.verifying_key, crate::unix_now()))
    })?;
    step(9, "wallet backend: try a withdrawal from an OFAC address", || {
        let mut request = ProofRequest::load_dir(dir)?;
        request.withdrawal = Withdrawal::from_json(&zkcomply_verifier::read_text(&at(files::SANCTIONED_WITHDRAWAL))?)?;
        match request.witness() {
            Err(e) => {
                println!("     refused as expected: {e}");
                Ok(())
            }
            Ok(_) => Err(ProverError::Other("a sanctioned source address was not refused".into())),
        }
    })?;
    if verdict.accepted {
        println!("accepted: {} ({} bytes)", at(files::BUNDLE).display(), bundle.to_json().len());
        println!(
            "check it yourself: zkcomply-verify verify {} --policy {} --vk {}",
            at(files::BUNDLE).display(),
            at(files::POLICY).display(),
            at(files::VERIFYING_KEY).display()
        );
        Ok(())
    } else {
        Err(ProverError::Other(format!(
            "the demo bundle was rejected: {:?}: {}",
            verdict.failed_check,
            verdict.reason.unwrap_or_default()
        )))
    }
}
