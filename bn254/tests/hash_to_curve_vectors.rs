//! `hash_to_curve` against the published `BN254G1_XMD:SHA-256_SVDW_RO_` test
//! vectors, and its properties as halo2 uses it.
//!
//! The vectors (domain separation tag
//! `QUUX-V01-CS02-with-BN254G1_XMD:SHA-256_SVDW_RO_`) are gnark-crypto's,
//! file `ecc/bn254/hash_vectors_test.go` of github.com/Consensys/gnark-crypto
//! (`hashToG1Vector`): the field elements `u0`, `u1`, the mapped points `Q0`,
//! `Q1` and the result `P`, all hexadecimal.

mod common;

use common::{affine_to_ark, fq_from_hex};
use ff::{Field, PrimeField as _};
use group::{Curve, GroupEncoding};
use pasta_curves::arithmetic::{CurveAffine, CurveExt};
use zkcomply_bn254::hash_to_curve::{domain_separation_tag, HashToCurve};
use zkcomply_bn254::{Fq, G1Affine, G1};

struct Vector {
    message: String,
    point: (&'static str, &'static str),
    q0: (&'static str, &'static str),
    q1: (&'static str, &'static str),
    u0: &'static str,
    u1: &'static str,
}

fn vectors() -> Vec<Vector> {
    vec![
        Vector {
            message: String::new(),
            point: (
                "0xa976ab906170db1f9638d376514dbf8c42aef256a54bbd48521f20749e59e86",
                "0x2925ead66b9e68bfc309b014398640ab55f6619ab59bc1fab2210ad4c4d53d5",
            ),
            q0: (
                "0xe449b959abbd0e5ab4c873eaeb1ccd887f1d9ad6cd671fd72cb8d77fb651892",
                "0x29ff1e36867c60374695ee0c298fcbef2af16f8f97ed356fa75e61a797ebb265",
            ),
            q1: (
                "0x19388d9112a306fba595c3a8c63daa8f04205ad9581f7cf105c63c442d7c6511",
                "0x182da356478aa7776d1de8377a18b41e933036d0b71ab03f17114e4e673ad6e4",
            ),
            u0: "0x2f87b81d9d6ef05ad4d249737498cc27e1bd485dca804487844feb3c67c1a9b5",
            u1: "0x6de2d0d7c0d9c7a5a6c0b74675e7543f5b98186b5dbf831067449000b2b1f8e",
        },
        Vector {
            message: "abc".into(),
            point: (
                "0x23f717bee89b1003957139f193e6be7da1df5f1374b26a4643b0378b5baf53d1",
                "0x4142f826b71ee574452dbc47e05bc3e1a647478403a7ba38b7b93948f4e151d",
            ),
            q0: (
                "0x1452c8cc24f8dedc25b24d89b87b64e25488191cecc78464fea84077dd156f8d",
                "0x209c3633505ba956f5ce4d974a868db972b8f1b69d63c218d360996bcec1ad41",
            ),
            q1: (
                "0x4e8357c98524e6208ae2b771e370f0c449e839003988c2e4ce1eaf8d632559f",
                "0x4396ec43dd8ec8f2b4a705090b5892219759da30154c39490fc4d59d51bb817",
            ),
            u0: "0x11945105b5e3d3b9392b5a2318409cbc28b7246aa47fa30da5739907737799a9",
            u1: "0x1255fc9ad5a6e0fb440916f091229bda611c41be2f2283c3d8f98c596be4c8c9",
        },
        Vector {
            message: "abcdef0123456789".into(),
            point: (
                "0x187dbf1c3c89aceceef254d6548d7163fdfa43084145f92c4c91c85c21442d4a",
                "0xabd99d5b0000910b56058f9cc3b0ab0a22d47cf27615f588924fac1e5c63b4d",
            ),
            q0: (
                "0x28d01790d2a1cc4832296774438acd46c2ce162d03099926478cf52319daba8d",
                "0x10227ab2707fd65fb45e87f0a48cfe3556f04113d27b1da9a7ae1709007355e1",
            ),
            q1: (
                "0x7dc256c7aadac1b4e1d23b3b2bbb5e2ffd9c753b9073d8d952ead8f812ce1b3",
                "0x2589008b2e15dcb3d16cdc1fed2634778001b1b28f0ab433f4f5ec6635c55e1e",
            ),
            u0: "0x2f7993a6b43a8dbb37060e790011a888157f456b895b925c3568690685f4983d",
            u1: "0x2677d0532b47a4cead2488845e7df7ebc16c0b8a2cd8a6b7f4ce99f51659794e",
        },
        Vector {
            message: format!("q128_{}", "q".repeat(128)),
            point: (
                "0xfe2b0743575324fc452d590d217390ad48e5a16cf051bee5c40a2eba233f5c",
                "0x794211e0cc72d3cbbdf8e4e5cd6e7d7e78d101ff94862caae8acbe63e9fdc78",
            ),
            q0: (
                "0x1c53b05f2fce15ba0b9100650c0fb46de1fb62f1d0968b69151151bd25dfefa4",
                "0x1fe783faf4bdbd79b717784dc59619106e4acccfe3b5d9750799729d855e7b81",
            ),
            q1: (
                "0x214a4e6e97adda47558f80088460eabd71ed35bc8ceafb99a493dd6f4e2b3f0a",
                "0xfaaeb29cc23f9d09b187a99741613aed84443e7c35736258f57982d336d13bd",
            ),
            u0: "0x2a50be15282ee276b76db1dab761f75401cdc8bd9fff81fcf4d428db16092a7b",
            u1: "0x23b41953676183c30aca54b5c8bd3ffe3535a6238c39f6b15487a5467d5d20eb",
        },
        Vector {
            message: format!("a512_{}", "a".repeat(512)),
            point: (
                "0x1b05dc540bd79fd0fea4fbb07de08e94fc2e7bd171fe025c479dc212a2173ce",
                "0x1bf028afc00c0f843d113758968f580640541728cfc6d32ced9779aa613cd9b0",
            ),
            q0: (
                "0x2298ba379768da62495af6bb390ffca9156fde1dc167235b89c6dd008d2f2f3b",
                "0x660564cf6fce5cdea4780f5976dd0932559336fd072b4ddd83ec37f00fc7699",
            ),
            q1: (
                "0x2811dea430f7a1f6c8c941ecdf0e1e725b8ad1801ad15e832654bd8f10b62f16",
                "0x253390ed4fb39e58c30ca43892ab0428684cfb30b9df05fc239ab532eaa02444",
            ),
            u0: "0x48527470f534978bae262c0f3ba8380d7f560916af58af9ad7dcb6a4238e633",
            u1: "0x19a6d8be25702820b9b11eada2d42f425343889637a01ecd7672fbcf590d9ffe",
        },
    ]
}

fn point(coordinates: (&str, &str)) -> G1Affine {
    G1Affine::from_xy(fq_from_hex(coordinates.0), fq_from_hex(coordinates.1)).unwrap()
}

const VECTOR_PREFIX: &str = "QUUX-V01-CS02-with";

#[test]
fn tag_is_prefix_and_suite() {
    assert_eq!(domain_separation_tag(VECTOR_PREFIX), b"QUUX-V01-CS02-with-BN254G1_XMD:SHA-256_SVDW_RO_");
    assert_eq!(domain_separation_tag("Halo2-Parameters"), b"Halo2-Parameters-BN254G1_XMD:SHA-256_SVDW_RO_");
}

#[test]
fn published_vectors_step_by_step() {
    let hasher = HashToCurve::new(&domain_separation_tag(VECTOR_PREFIX));
    for vector in vectors() {
        let message = vector.message.as_bytes();
        let [u0, u1] = hasher.hash_to_field(message);
        assert_eq!((u0, u1), (fq_from_hex(vector.u0), fq_from_hex(vector.u1)), "u of {:?}", vector.message);
        assert_eq!(hasher.map_to_curve(&u0), point(vector.q0), "Q0 of {:?}", vector.message);
        assert_eq!(hasher.map_to_curve(&u1), point(vector.q1), "Q1 of {:?}", vector.message);
        assert_eq!(hasher.hash(message).to_affine(), point(vector.point), "P of {:?}", vector.message);
    }
}

#[test]
fn published_vectors_through_curve_ext() {
    let hasher = G1::hash_to_curve(VECTOR_PREFIX);
    for vector in vectors() {
        assert_eq!(hasher(vector.message.as_bytes()).to_affine(), point(vector.point));
    }
}

#[test]
fn hashes_are_on_the_curve_deterministic_and_separated() {
    let parameters = G1::hash_to_curve("Halo2-Parameters");
    let other = G1::hash_to_curve("Halo2-Parameters-other");
    let mut seen = std::collections::HashSet::new();
    for i in 0u32..256 {
        let mut message = [0u8; 5];
        message[1..].copy_from_slice(&i.to_le_bytes());
        let point = parameters(&message);
        assert!(bool::from(point.is_on_curve()));
        assert!(affine_to_ark(&point.to_affine()).is_on_curve());
        assert!(!bool::from(group::Group::is_identity(&point)));
        assert_eq!(parameters(&message), point, "deterministic");
        assert_ne!(other(&message), point, "domain separated");
        assert!(seen.insert(point.to_affine().to_bytes()), "distinct");
    }
}

#[test]
fn oversize_tags_are_hashed() {
    let long_prefix = "x".repeat(300);
    let hasher = G1::hash_to_curve(&long_prefix);
    let point = hasher(b"message");
    assert!(bool::from(point.is_on_curve()));
    assert_ne!(point, G1::hash_to_curve(&"x".repeat(301))(b"message"));
}

#[test]
fn map_handles_exceptional_inputs() {
    let hasher = HashToCurve::new(&domain_separation_tag(VECTOR_PREFIX));
    // u = 0, and u = 1/2 and -1/2, where 1 - 4 u^2 = 0 and the map inverts
    // zero (1 + 4 u^2 = 0 has no solution: -1 is not a square modulo q).
    assert!(bool::from((-Fq::ONE).sqrt().is_none()));
    for u in [Fq::ZERO, Fq::TWO_INV, -Fq::TWO_INV] {
        let point = hasher.map_to_curve(&u);
        assert!(bool::from(point.is_on_curve()), "u = {u:?}");
    }
}
