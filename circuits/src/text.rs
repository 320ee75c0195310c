//! Quoting input in messages: a long string is shortened on a character
//! boundary, so that an error never copies a huge value and never cuts a
//! UTF-8 character in two (slicing a `str` inside a character panics).
//!
//! Every message in zkcomply that quotes a value from a document or a
//! request shortens it here.

use std::borrow::Cow;

/// Strings of at most this many bytes are quoted whole by [`shorten`].
pub const QUOTED_WHOLE_BYTES: usize = 90;

/// Bytes of a longer string that [`shorten`] keeps (at most).
pub const QUOTED_PREFIX_BYTES: usize = 40;

/// The longest prefix of `s` of at most `max_bytes` bytes that ends on a
/// character boundary (so it may be shorter than `max_bytes` by up to 3
/// bytes, never longer).
pub fn prefix_within(s: &str, max_bytes: usize) -> &str {
    if s.len() <= max_bytes {
        return s;
    }
    // A boundary is at most 3 bytes before any index (a UTF-8 character
    // has at most 4 bytes), and 0 always is one.
    let end = (0..=max_bytes).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0);
    &s[..end]
}

/// `s` as a message quotes it: whole up to [`QUOTED_WHOLE_BYTES`] bytes;
/// longer, its first [`QUOTED_PREFIX_BYTES`] bytes at most (cut on a
/// character boundary), `...` and its length (`1234567...(100 bytes)`).
pub fn shorten(s: &str) -> Cow<'_, str> {
    if s.len() <= QUOTED_WHOLE_BYTES {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(format!("{}...({} bytes)", prefix_within(s, QUOTED_PREFIX_BYTES), s.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Strings longer than [`QUOTED_WHOLE_BYTES`] mixing ASCII with
    /// characters of 2, 3 and 4 bytes, at every alignment.
    fn samples() -> Vec<String> {
        let mut out = Vec::new();
        for wide in ["é", "€", "𝄞"] {
            for lead in 0..4 {
                out.push(format!("{}{}", "a".repeat(lead), wide.repeat(50)));
                out.push(format!("{}{}b{}", "a".repeat(lead), wide, wide.repeat(50)));
            }
        }
        out.push("aé€𝄞".repeat(12));
        out.push("9".repeat(39) + "é" + &"x".repeat(60));
        out
    }

    #[test]
    fn prefix_within_cuts_on_a_character_boundary_at_every_cut_point() {
        for s in samples() {
            for max in 0..=s.len() + 1 {
                let prefix = prefix_within(&s, max);
                assert!(s.starts_with(prefix), "{s:?} at {max}");
                assert!(prefix.len() <= max, "{s:?} at {max}: {} bytes", prefix.len());
                // The longest such prefix: the next character would not fit.
                if prefix.len() < s.len() {
                    let next = s[prefix.len()..].chars().next().unwrap().len_utf8();
                    assert!(prefix.len() + next > max, "{s:?} at {max}: {prefix:?} is not the longest");
                }
            }
        }
    }

    #[test]
    fn shorten_keeps_short_strings_and_shortens_long_ones_at_any_boundary() {
        assert_eq!(shorten("123"), "123");
        let limit = "é".repeat(QUOTED_WHOLE_BYTES / 2);
        assert_eq!(shorten(&limit), limit.as_str());
        for s in samples() {
            assert!(s.len() > QUOTED_WHOLE_BYTES);
            let short = shorten(&s);
            assert!(short.len() < QUOTED_PREFIX_BYTES + 20, "{short}");
            assert!(short.ends_with(&format!("...({} bytes)", s.len())), "{short}");
            let kept = short.split("...(").next().unwrap();
            assert!(s.starts_with(kept) && kept.len() > QUOTED_PREFIX_BYTES - 4, "{s:?}: {short}");
        }
        // The string of the report: 39 letters, `é` across bytes 39..41.
        let amount = "a".repeat(39) + "é" + &"b".repeat(60);
        assert_eq!(shorten(&amount), format!("{}...(101 bytes)", "a".repeat(39)));
    }
}
