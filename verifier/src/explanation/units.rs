//! Values as people read them: amounts in an asset's units, times in UTC,
//! durations in minutes and hours, chains and jurisdictions by name.

use crate::policy_labels::PolicyLabels;

/// EVM chains where the assets below have the decimals given.
const ETHEREUM_AND_ROLLUPS: &[u64] = &[1, 10, 8453, 42161, 11155111];

/// Decimals of well-known assets' smallest units, by ticker and the
/// chains where they hold: the same ticker can differ between chains (USDC
/// has 6 decimals on Ethereum, 18 on BNB Smart Chain). A policy's
/// `labels.asset_decimals` adds to it and takes precedence.
const ASSET_DECIMALS: &[(&str, &[u64], u8)] = &[
    ("ETH", ETHEREUM_AND_ROLLUPS, 18),
    ("WETH", &[1, 10, 137, 8453, 42161, 11155111], 18),
    ("DAI", &[1, 10, 137, 8453, 42161], 18),
    ("USDC", &[1, 10, 137, 8453, 42161, 43114], 6),
    ("USDT", &[1, 10, 137, 42161, 43114], 6),
    ("USDC", &[56], 18),
    ("USDT", &[56], 18),
    ("BNB", &[56], 18),
    ("POL", &[137], 18),
    ("AVAX", &[43114], 18),
    ("WBTC", &[1, 137, 42161], 8),
];

/// Names of well-known chains, by EIP-155 chain id.
const CHAINS: &[(u64, &str)] = &[
    (1, "Ethereum"),
    (10, "OP Mainnet"),
    (56, "BNB Smart Chain"),
    (137, "Polygon PoS"),
    (8453, "Base"),
    (42161, "Arbitrum One"),
    (43114, "Avalanche C-Chain"),
    (11155111, "Sepolia testnet"),
];

/// The decimals of `asset` on chain `chain_id`: the policy's label for
/// `ASSET@CHAIN` (`USDC@56`), else for `ASSET`, else the built-in table.
pub fn asset_decimals(asset: &str, chain_id: u64, labels: Option<&PolicyLabels>) -> Option<u8> {
    let labelled = labels.and_then(|l| {
        l.asset_decimals.get(&format!("{asset}@{chain_id}")).or_else(|| l.asset_decimals.get(asset)).copied()
    });
    labelled.or_else(|| {
        ASSET_DECIMALS.iter().find(|(name, chains, _)| *name == asset && chains.contains(&chain_id)).map(|(_, _, d)| *d)
    })
}

/// `amount` of `asset` on chain `chain_id` in the asset's units (`0.25
/// ETH`), or, when its decimals are unknown, in smallest units (`250
/// (smallest units of XYZ)`).
pub fn amount(amount: u128, asset: &str, chain_id: u64, labels: Option<&PolicyLabels>) -> String {
    let Some(decimals) = asset_decimals(asset, chain_id, labels) else {
        return format!("{amount} (smallest units of {asset})");
    };
    let scale = 10u128.pow(u32::from(decimals));
    let (whole, fraction) = (amount / scale, amount % scale);
    if fraction == 0 {
        return format!("{whole} {asset}");
    }
    let digits = format!("{fraction:0width$}", width = usize::from(decimals));
    format!("{whole}.{} {asset}", digits.trim_end_matches('0'))
}

/// A unix time on the calendar, when it is within the calendar's range.
fn calendar(seconds: u64) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::from_unix_timestamp(i64::try_from(seconds).ok()?).ok()
}

/// A unix time as `2026-11-30 10:44:32 UTC`; a time past the calendar's
/// range as its seconds.
pub fn utc(seconds: u64) -> String {
    match calendar(seconds) {
        Some(t) => format!("{} {:02}:{:02}:{:02} UTC", utc_date(seconds), t.hour(), t.minute(), t.second()),
        None => format!("unix time {seconds}"),
    }
}

/// A unix time's day as `2026-11-30` (UTC); a time past the calendar's
/// range as its seconds.
pub fn utc_date(seconds: u64) -> String {
    match calendar(seconds) {
        Some(t) => format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()),
        None => format!("unix time {seconds}"),
    }
}

/// A length of time in words: `45 s`, `5 min`, `22 min 3 s`, `3 h 20 min`,
/// `2 days 4 h`.
pub fn duration(seconds: u64) -> String {
    const MINUTE: u64 = 60;
    const HOUR: u64 = 3600;
    const DAY: u64 = 86_400;
    let pair = |big: u64, big_unit: &str, small: u64, small_unit: &str| {
        if small == 0 {
            format!("{big} {big_unit}")
        } else {
            format!("{big} {big_unit} {small} {small_unit}")
        }
    };
    match seconds {
        s if s < MINUTE => format!("{s} s"),
        s if s < HOUR => pair(s / MINUTE, "min", s % MINUTE, "s"),
        s if s < DAY => pair(s / HOUR, "h", s % HOUR / MINUTE, "min"),
        s => {
            let days = s / DAY;
            pair(days, if days == 1 { "day" } else { "days" }, s % DAY / HOUR, "h")
        }
    }
}

/// A chain id with its name when known: `1 (Ethereum)`.
pub fn chain(chain_id: u64) -> String {
    match CHAINS.iter().find(|(id, _)| *id == chain_id) {
        Some((_, name)) => format!("{chain_id} ({name})"),
        None => chain_id.to_string(),
    }
}

/// Common names for countries whose ISO 3166-1 names are long or
/// inverted (`Korea (Democratic People's Republic of)`).
const COMMON_COUNTRY_NAMES: &[(u16, &str)] = &[
    (68, "Bolivia"),
    (158, "Taiwan"),
    (275, "Palestine"),
    (364, "Iran"),
    (408, "North Korea"),
    (410, "South Korea"),
    (418, "Laos"),
    (498, "Moldova"),
    (583, "Micronesia"),
    (643, "Russia"),
    (760, "Syria"),
    (826, "United Kingdom"),
    (834, "Tanzania"),
    (840, "United States"),
    (862, "Venezuela"),
];

/// An ISO 3166-1 numeric jurisdiction with its name when it is a country
/// code: `276 (Germany)`, `408 (North Korea)`.
pub fn jurisdiction(code: u16) -> String {
    if let Some((_, name)) = COMMON_COUNTRY_NAMES.iter().find(|(c, _)| *c == code) {
        return format!("{code} ({name})");
    }
    match isocountry::CountryCode::for_id(u32::from(code)) {
        Ok(country) => format!("{code} ({})", country.name()),
        Err(_) => code.to_string(),
    }
}

/// `text` with every control character and every invisible or
/// direction-changing mark written out as `\u{..}`: a bundle's strings are
/// the sender's, and a newline, a terminal escape or a right-to-left
/// override in an address or an id must not forge or hide a line of the
/// verdict.
pub fn printable(text: &str) -> String {
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
    };
    if !text.chars().any(hidden) {
        return text.to_string();
    }
    text.chars().map(|c| if hidden(c) { format!("\\u{{{:x}}}", u32::from(c)) } else { c.to_string() }).collect()
}

/// A long value cut for a sentence: its first and last characters
/// (`4019263615…653323988`). Short values are kept whole.
pub fn short(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= 20 {
        return value.to_string();
    }
    let head: String = chars[..10].iter().collect();
    let tail: String = chars[chars.len() - 6..].iter().collect();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_shown_in_the_assets_units() {
        assert_eq!(amount(250_000_000_000_000_000, "ETH", 1, None), "0.25 ETH");
        assert_eq!(amount(10_000_000_000_000_000_000, "ETH", 1, None), "10 ETH");
        assert_eq!(amount(1, "ETH", 1, None), "0.000000000000000001 ETH");
        assert_eq!(amount(0, "USDC", 1, None), "0 USDC");
        assert_eq!(amount(1_500_000, "USDC", 1, None), "1.5 USDC");
        // The same ticker, other decimals on another chain; unknown chains
        // get smallest units.
        assert_eq!(amount(1_500_000_000_000_000_000, "USDC", 56, None), "1.5 USDC");
        assert_eq!(amount(1_500_000, "USDC", 999, None), "1500000 (smallest units of USDC)");
        assert_eq!(amount(u128::MAX, "ETH", 1, None), "340282366920938463463.374607431768211455 ETH");
        assert_eq!(amount(7, "XYZ", 1, None), "7 (smallest units of XYZ)");
        let labels = PolicyLabels {
            asset_decimals: [("XYZ".to_string(), 2), ("XYZ@5".to_string(), 0)].into(),
            ..Default::default()
        };
        assert_eq!(amount(705, "XYZ", 1, Some(&labels)), "7.05 XYZ");
        assert_eq!(amount(705, "XYZ", 5, Some(&labels)), "705 XYZ");
        let labels = PolicyLabels { asset_decimals: [("ETH".to_string(), 38)].into(), ..Default::default() };
        assert_eq!(amount(u128::MAX, "ETH", 1, Some(&labels)), "3.40282366920938463463374607431768211455 ETH");
    }

    #[test]
    fn times_and_durations_read_as_words() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_796_010_976), "2026-11-30 03:56:16 UTC");
        assert_eq!(utc(u64::MAX), format!("unix time {}", u64::MAX));
        assert_eq!(utc_date(1_796_010_976), "2026-11-30");
        assert_eq!(duration(0), "0 s");
        assert_eq!(duration(300), "5 min");
        assert_eq!(duration(1323), "22 min 3 s");
        assert_eq!(duration(12_000), "3 h 20 min");
        assert_eq!(duration(86_400), "1 day");
        assert_eq!(duration(187_200), "2 days 4 h");
    }

    #[test]
    fn hidden_characters_are_written_out() {
        assert_eq!(printable("0x1111"), "0x1111");
        assert_eq!(printable("w-1\n  [holds] forged"), "w-1\\u{a}  [holds] forged");
        assert_eq!(printable("\u{1b}[1A\u{1b}[2K"), "\\u{1b}[1A\\u{1b}[2K");
        assert_eq!(printable("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(printable("Société ✓"), "Société ✓");
    }

    #[test]
    fn chains_jurisdictions_and_long_values() {
        assert_eq!(chain(1), "1 (Ethereum)");
        assert_eq!(chain(999_999), "999999");
        assert_eq!(jurisdiction(276), "276 (Germany)");
        assert_eq!(jurisdiction(408), "408 (North Korea)");
        assert_eq!(jurisdiction(999), "999");
        assert_eq!(short("0x1111"), "0x1111");
        assert_eq!(short(&"9".repeat(77)), "9999999999…999999");
        assert_eq!(short(&"é".repeat(30)), format!("{}…{}", "é".repeat(10), "é".repeat(6)));
    }
}
