//! `Credential::from_json` (the credential format, `docs/FORMATS.md`: the
//! issuer's copy and the holder's copy with `holder.secret`) on any UTF-8
//! text; on success, the printed credential parses back to the same
//! value, and `Credential::check` (signature and secret) runs on it, as
//! `zkcomply holder accept` and the prover do.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zkcomply_fuzz::{assert_round_trip, pretty_json, text};
use zkcomply_verifier::Credential;

fuzz_target!(|data: &[u8]| {
    let Some(text) = text(data) else { return };
    let Ok(credential) = Credential::from_json(text) else { return };
    assert_round_trip(&credential, pretty_json, Credential::from_json);
    let _ = credential.check();
});
