//! Checks of numeric flag values, with tcpdump's rules and messages.
//!
//! A value tcpdump refuses must be refused here too: the rotation flags
//! in particular once took `-G 0`, `-C 0` and `-W 0` and then silently
//! lost packets (a new file for every packet, a ring of no files). Each
//! parser returns tcpdump's message; `main` prints it as `bpfcap: ...`
//! with exit status 1, as tcpdump does.

/// tcpdump's largest snapshot length (`MAXIMUM_SNAPLEN`).
pub const MAXIMUM_SNAPLEN: u32 = 262_144;

/// A whole number as C's `strtol` reads one with the given base: an
/// optional sign, then digits, and nothing after them. Base 0 takes
/// `0x` (hex) and `0` (octal) prefixes, as tcpdump's `-s` and `-c` do.
fn strtol(text: &str, base: u32) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (radix, digits) = match base {
        0 => {
            if let Some(hex) = digits
                .strip_prefix("0x")
                .or_else(|| digits.strip_prefix("0X"))
            {
                (16, hex)
            } else if digits.len() > 1 && digits.starts_with('0') {
                (8, &digits[1..])
            } else {
                (10, digits)
            }
        }
        b => (b, digits),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i64::from_str_radix(digits, radix).ok()?;
    Some(if negative { -magnitude } else { magnitude })
}

/// `-s`: 0 (the default, 262144) up to 262144.
pub fn snaplen(text: &str) -> Result<u32, String> {
    strtol(text, 0)
        .and_then(|n| u32::try_from(n).ok())
        .filter(|&n| n <= MAXIMUM_SNAPLEN)
        .ok_or_else(|| format!("invalid snaplen {text} (must be >= 0 and <= {MAXIMUM_SNAPLEN})"))
}

/// `-c`: a positive number of packets.
pub fn packet_count(text: &str) -> Result<u64, String> {
    positive(strtol(text, 0)).ok_or_else(|| format!("invalid packet count {text}"))
}

/// `-C`: a positive size in millions of bytes, small enough to count in
/// bytes.
pub fn file_size(text: &str) -> Result<u64, String> {
    let mb = positive(strtol(text, 10)).ok_or_else(|| format!("invalid file size {text}"))?;
    match mb.checked_mul(1_000_000) {
        Some(bytes) if bytes <= i64::MAX as u64 => Ok(mb),
        _ => Err(format!("file size {text} is too large")),
    }
}

/// `-W`: a positive number of files (with `-C`, a ring of that many).
pub fn file_count(text: &str) -> Result<u32, String> {
    positive(strtol(text, 10))
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| format!("invalid number of output files {text}"))
}

/// `-G`: seconds between files; 0 means no time rotation, as in tcpdump.
pub fn rotate_seconds(text: &str) -> Result<u64, String> {
    strtol(text, 10)
        .and_then(|n| u64::try_from(n).ok())
        .ok_or_else(|| format!("invalid number of seconds {text}"))
}

/// `-B`: a positive buffer size in KiB.
pub fn buffer_kib(text: &str) -> Result<usize, String> {
    positive(strtol(text, 10))
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| format!("invalid packet buffer size {text}"))
}

fn positive(n: Option<i64>) -> Option<u64> {
    n.filter(|&n| n > 0).map(|n| n as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snaplen_range_is_tcpdumps() {
        assert_eq!(snaplen("0"), Ok(0));
        assert_eq!(snaplen("262144"), Ok(262_144));
        assert_eq!(snaplen("0x100"), Ok(256));
        for bad in ["262145", "4294967295", "-1", "abc", "", "96k"] {
            assert_eq!(
                snaplen(bad),
                Err(format!(
                    "invalid snaplen {bad} (must be >= 0 and <= 262144)"
                ))
            );
        }
    }

    #[test]
    fn rotation_values_tcpdump_refuses_are_refused() {
        assert_eq!(file_size("0"), Err("invalid file size 0".into()));
        assert_eq!(file_size("-1"), Err("invalid file size -1".into()));
        assert_eq!(file_size("1k"), Err("invalid file size 1k".into()));
        assert_eq!(file_size("100"), Ok(100));
        assert_eq!(
            file_size("99999999999999"),
            Err("file size 99999999999999 is too large".into())
        );
        assert_eq!(
            file_count("0"),
            Err("invalid number of output files 0".into())
        );
        assert_eq!(
            file_count("-3"),
            Err("invalid number of output files -3".into())
        );
        assert_eq!(file_count("5"), Ok(5));
        assert_eq!(rotate_seconds("0"), Ok(0));
        assert_eq!(
            rotate_seconds("-1"),
            Err("invalid number of seconds -1".into())
        );
        assert_eq!(packet_count("0"), Err("invalid packet count 0".into()));
        assert_eq!(packet_count("010"), Ok(8));
        assert_eq!(buffer_kib("0"), Err("invalid packet buffer size 0".into()));
    }
}
