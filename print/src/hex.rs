//! tcpdump's hex dumps (-x, -X) and ASCII dumps (-A), each line
//! starting with `\n\t` as in `hex_print_with_offset`.

use crate::ctx::{printable, put};

/// `hex_print`: `\n\t0x0000:  4500 0028 ...`.
pub(crate) fn hex(out: &mut String, bytes: &[u8], offset: usize) {
    hex_prefixed(out, "\n\t", bytes, offset);
}

/// `hex_print_with_offset` with its line prefix (`print_unknown_data`).
pub(crate) fn hex_prefixed(out: &mut String, prefix: &str, bytes: &[u8], offset: usize) {
    for (line, chunk) in bytes.chunks(16).enumerate() {
        put!(out, "{prefix}0x{:04x}: ", offset + line * 16);
        for pair in chunk.chunks(2) {
            out.push(' ');
            for b in pair {
                put!(out, "{b:02x}");
            }
        }
    }
}

/// `hex_and_ascii_print`: hex, then the bytes as ASCII.
pub(crate) fn hex_and_ascii(out: &mut String, bytes: &[u8], offset: usize) {
    hex_and_ascii_prefixed(out, "\n\t", bytes, offset);
}

/// `hex_and_ascii_print` with its line prefix (ZMTP's `"\n\t "`).
pub(crate) fn hex_and_ascii_prefixed(out: &mut String, prefix: &str, bytes: &[u8], offset: usize) {
    for (line, chunk) in bytes.chunks(16).enumerate() {
        let mut hex = String::with_capacity(40);
        for pair in chunk.chunks(2) {
            hex.push(' ');
            for b in pair {
                put!(hex, "{b:02x}");
            }
        }
        let text: String = chunk.iter().map(|&b| printable(b)).collect();
        put!(
            out,
            "{prefix}0x{:04x}: {hex:<40}  {text}",
            offset + line * 16
        );
    }
}

/// `ascii_print` (-A): printable bytes, newlines kept.
pub(crate) fn ascii(out: &mut String, bytes: &[u8]) {
    out.push('\n');
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            // A CR is dropped before a line end, a dot elsewhere.
            b'\r' => {
                let left = bytes.len() - i - 1;
                if left > 1 && bytes.get(i + 1) != Some(&b'\n') {
                    out.push('.');
                }
            }
            b'\n' | b'\t' | 0x20..=0x7e => out.push(b as char),
            _ => out.push('.'),
        }
    }
}
