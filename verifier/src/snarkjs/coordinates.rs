//! Points and pairing values as snarkjs writes them: canonical decimal
//! coordinates, G1 as `[x, y, "1"]`, G2 as `[[x.c0, x.c1], [y.c0, y.c1],
//! ["1", "0"]]` (ffjavascript's `toObject` of an affine point), and a
//! pairing value (`vk_alphabeta_12`) as `[c0, c1]` of `[c0, c1, c2]` of
//! `[a, b]`, the same tower as arkworks' `Fq12`.
//!
//! Reading is strict: canonical decimals below the base field's modulus,
//! affine triples only (snarkjs writes no other form), every point on its
//! curve and in the prime-order subgroup, the point at infinity refused.
//! Errors say what is wrong; callers add the field's name.

use ark_bn254::{Fq, Fq12, Fq2, Fq6, G1Affine, G2Affine};
use ark_ec::AffineRepr;
use ark_ff::{BigInteger, PrimeField};
use num_bigint::BigUint;
use zkcomply_circuits::field::parse_decimal_below_bits;
use zkcomply_circuits::text::shorten;

/// snarkjs's G1 point: `[x, y, "1"]`.
pub type G1Json = Vec<String>;
/// snarkjs's G2 point: `[[x.c0, x.c1], [y.c0, y.c1], ["1", "0"]]`.
pub type G2Json = Vec<Vec<String>>;
/// snarkjs's `Fq12` value: `[[[a, b]; 3]; 2]`.
pub type GtJson = Vec<Vec<Vec<String>>>;

/// The canonical decimal of a base-field element.
pub fn fq_decimal(x: &Fq) -> String {
    BigUint::from_bytes_le(&x.into_bigint().to_bytes_le()).to_string()
}

/// A G1 point in snarkjs's form (the identity as snarkjs writes it, `["0", "1", "0"]`).
pub fn g1_json(p: &G1Affine) -> G1Json {
    match p.xy() {
        Some((x, y)) => vec![fq_decimal(&x), fq_decimal(&y), "1".into()],
        None => vec!["0".into(), "1".into(), "0".into()],
    }
}

/// A G2 point in snarkjs's form (the identity as `[["0","0"],["1","0"],["0","0"]]`).
pub fn g2_json(p: &G2Affine) -> G2Json {
    let pair = |v: &Fq2| vec![fq_decimal(&v.c0), fq_decimal(&v.c1)];
    match p.xy() {
        Some((x, y)) => vec![pair(&x), pair(&y), vec!["1".into(), "0".into()]],
        None => vec![vec!["0".into(), "0".into()], vec!["1".into(), "0".into()], vec!["0".into(), "0".into()]],
    }
}

/// A pairing value in snarkjs's form.
pub fn gt_json(v: &Fq12) -> GtJson {
    let fq6 =
        |f: &Fq6| [f.c0, f.c1, f.c2].iter().map(|c| vec![fq_decimal(&c.c0), fq_decimal(&c.c1)]).collect::<Vec<_>>();
    vec![fq6(&v.c0), fq6(&v.c1)]
}

/// Parses a canonical decimal below the base field's modulus `q`.
///
/// # Errors
/// Why the string is not one.
pub fn parse_fq(s: &str) -> Result<Fq, String> {
    let v = parse_decimal_below_bits(s, Fq::MODULUS_BIT_SIZE).map_err(|e| e.to_string())?;
    let too_large = || format!("{} is not below the BN254 base field modulus q", shorten(s));
    let limbs = ark_ff::BigInt::<4>::try_from(v).map_err(|()| too_large())?;
    Fq::from_bigint(limbs).ok_or_else(too_large)
}

/// Checks an array's length.
fn expect_len<T>(items: &[T], n: usize, what: &str) -> Result<(), String> {
    if items.len() == n {
        Ok(())
    } else {
        Err(format!("expected {what} of {n} elements, found {}", items.len()))
    }
}

/// Parses an `Fq2` pair `[c0, c1]`.
fn parse_fq2(pair: &[String]) -> Result<Fq2, String> {
    expect_len(pair, 2, "a pair [c0, c1]")?;
    Ok(Fq2::new(
        parse_fq(&pair[0]).map_err(|e| format!("[0]: {e}"))?,
        parse_fq(&pair[1]).map_err(|e| format!("[1]: {e}"))?,
    ))
}

/// Parses an affine G1 point `[x, y, "1"]`: on the curve (G1's cofactor is
/// 1, so in the group), not the identity.
///
/// # Errors
/// What is wrong, with the element's index.
pub fn parse_g1(p: &[String]) -> Result<G1Affine, String> {
    expect_len(p, 3, "a G1 point [x, y, z]")?;
    match p[2].as_str() {
        "1" => {}
        "0" => return Err("the point at infinity is not allowed here".into()),
        _ => return Err("expected the affine form [x, y, \"1\"] snarkjs writes".into()),
    }
    let x = parse_fq(&p[0]).map_err(|e| format!("[0]: {e}"))?;
    let y = parse_fq(&p[1]).map_err(|e| format!("[1]: {e}"))?;
    let point = G1Affine::new_unchecked(x, y);
    if !point.is_on_curve() {
        return Err("not on the BN254 G1 curve".into());
    }
    Ok(point)
}

/// Parses an affine G2 point `[[x.c0, x.c1], [y.c0, y.c1], ["1", "0"]]`:
/// on the twist, in the prime-order subgroup, not the identity.
///
/// # Errors
/// What is wrong, with the element's index.
pub fn parse_g2(p: &[Vec<String>]) -> Result<G2Affine, String> {
    expect_len(p, 3, "a G2 point [x, y, z]")?;
    match (p[2].first().map(String::as_str), p[2].get(1).map(String::as_str), p[2].len()) {
        (Some("1"), Some("0"), 2) => {}
        (Some("0"), Some("0"), 2) => return Err("the point at infinity is not allowed here".into()),
        _ => return Err("expected the affine form [x, y, [\"1\", \"0\"]] snarkjs writes".into()),
    }
    let x = parse_fq2(&p[0]).map_err(|e| format!("[0]{e}"))?;
    let y = parse_fq2(&p[1]).map_err(|e| format!("[1]{e}"))?;
    let point = G2Affine::new_unchecked(x, y);
    if !point.is_on_curve() {
        return Err("not on the BN254 G2 twist".into());
    }
    if !point.is_in_correct_subgroup_assuming_on_curve() {
        return Err("not in the prime-order subgroup of G2".into());
    }
    Ok(point)
}

/// Parses a pairing value `[[[a, b]; 3]; 2]`.
///
/// # Errors
/// What is wrong, with the element's index.
pub fn parse_gt(v: &[Vec<Vec<String>>]) -> Result<Fq12, String> {
    expect_len(v, 2, "an Fq12 value [c0, c1]")?;
    let fq6 = |i: usize| -> Result<Fq6, String> {
        let f = &v[i];
        expect_len(f, 3, "an Fq6 value [c0, c1, c2]").map_err(|e| format!("[{i}]: {e}"))?;
        let c = |j: usize| {
            parse_fq2(&f[j]).map_err(|e| format!("[{i}][{j}]{}{e}", if e.starts_with('[') { "" } else { ": " }))
        };
        Ok(Fq6::new(c(0)?, c(1)?, c(2)?))
    };
    Ok(Fq12::new(fq6(0)?, fq6(1)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ark_ec::{CurveGroup, PrimeGroup};

    #[test]
    fn points_round_trip_and_bad_ones_are_refused() {
        let g1 = (ark_bn254::G1Projective::generator() * ark_bn254::Fr::from(7u8)).into_affine();
        let g2 = (ark_bn254::G2Projective::generator() * ark_bn254::Fr::from(9u8)).into_affine();
        assert_eq!(parse_g1(&g1_json(&g1)).unwrap(), g1);
        assert_eq!(parse_g2(&g2_json(&g2)).unwrap(), g2);
        let mut off = g1_json(&g1);
        off[1] = "5".into();
        assert!(parse_g1(&off).unwrap_err().contains("not on the"));
        assert!(parse_g1(&g1_json(&G1Affine::identity())).unwrap_err().contains("infinity"));
        assert!(parse_g2(&g2_json(&G2Affine::identity())).unwrap_err().contains("infinity"));
        let mut big = g1_json(&g1);
        // q itself.
        big[0] = "21888242871839275222246405745257275088696311157297823662689037894645226208583".into();
        assert!(parse_g1(&big).unwrap_err().contains("[0]"));
        let mut leading = g1_json(&g1);
        leading[0] = format!("0{}", leading[0]);
        assert!(parse_g1(&leading).is_err());
        let mut projective = g1_json(&g1);
        projective[2] = "2".into();
        assert!(parse_g1(&projective).unwrap_err().contains("affine"));
    }

    #[test]
    fn a_g2_point_outside_the_subgroup_is_refused() {
        // A point on the twist but not in the r-torsion: the first x = 1, 2,
        // ... (c0) with a square right-hand side.
        let mut x0 = 1u64;
        let point = loop {
            if let Some(p) = G2Affine::get_point_from_x_unchecked(Fq2::new(Fq::from(x0), Fq::from(0u8)), false) {
                break p;
            }
            x0 += 1;
        };
        assert!(point.is_on_curve() && !point.is_in_correct_subgroup_assuming_on_curve());
        assert!(parse_g2(&g2_json(&point)).unwrap_err().contains("subgroup"));
    }

    #[test]
    fn pairing_values_match_snarkjs() {
        // e(5·g1, g2) as ffjavascript (snarkjs 0.7.6) prints it: the first
        // and last coordinates.
        use ark_ec::pairing::Pairing;
        let a = (ark_bn254::G1Projective::generator() * ark_bn254::Fr::from(5u8)).into_affine();
        let v = ark_bn254::Bn254::pairing(a, G2Affine::generator()).0;
        let json = gt_json(&v);
        assert_eq!(json[0][0][0], "6720037094929809457399711234371758071996437442561555840479605371524562533664");
        assert_eq!(json[1][2][1], "15890560122615090475330531515125623284957331845251354093386008970756394156619");
        assert_eq!(parse_gt(&json).unwrap(), v);
        let mut short = json.clone();
        short[1].pop();
        assert!(parse_gt(&short).unwrap_err().starts_with("[1]"));
    }
}
