//! Bidirectional Forwarding Detection (tcpdump's `bfd_print`), chosen by
//! the destination port.

use super::{Bytes, Ctx, Res, printjn, put, unknown_data};

const DIAGS: [&str; 9] = [
    "No Diagnostic",
    "Control Detection Time Expired",
    "Echo Function Failed",
    "Neighbor Signaled Session Down",
    "Forwarding Plane Reset",
    "Path Down",
    "Concatenated Path Down",
    "Administratively Down",
    "Reverse Concatenated Path Down",
];

const V0_FLAGS: [(u8, &str); 8] = [
    (0x80, "I Hear You"),
    (0x40, "Demand"),
    (0x20, "Poll"),
    (0x10, "Final"),
    (0x08, "Control Plane Independent"),
    (0x04, "Authentication Present"),
    (0x02, "Reserved"),
    (0x01, "Reserved"),
];

const V1_FLAGS: [(u8, &str); 6] = [
    (0x20, "Poll"),
    (0x10, "Final"),
    (0x08, "Control Plane Independent"),
    (0x04, "Authentication Present"),
    (0x02, "Demand"),
    (0x01, "Multipoint"),
];

/// tcpdump's `bittok2str`: the names of the set bits, `, ` separated.
fn bits(table: &[(u8, &str)], v: u8) -> String {
    let names: Vec<&str> = table
        .iter()
        .filter(|(bit, _)| v & bit != 0)
        .map(|(_, n)| *n)
        .collect();
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

fn auth(out: &mut String, b: Bytes) -> Res {
    b.get(24, 4)?;
    let typ = b.u8(24)?;
    let alen = b.u8(25)?;
    let name = match typ {
        1 => "Simple Password",
        2 => "Keyed MD5",
        3 => "Meticulous Keyed MD5",
        4 => "Keyed SHA1",
        5 => "Meticulous Keyed SHA1",
        _ => "Unknown",
    };
    put!(out, "\n\tAuthentication: {name} ({typ}), length: {alen}");
    put!(out, "\n\t  Auth Key ID: {}", b.u8(26)?);
    let (field, hash, label) = match typ {
        1 => {
            if !(4..=19).contains(&alen) {
                put!(out, "[invalid length {alen}]");
                return Ok(());
            }
            out.push_str(", Password: ");
            return printjn(out, b, 27, usize::from(alen) - 3);
        }
        2 | 3 => (24, 16, "Digest"),
        4 | 5 => (28, 20, "Hash"),
        _ => return Ok(()),
    };
    if alen != field {
        put!(out, "[invalid length {alen}]");
        return Ok(());
    }
    put!(out, ", Sequence Number: 0x{:08x}", b.be32(28)?);
    put!(out, "\n\t  {label}: ");
    for x in b.get(32, hash)? {
        put!(out, "{x:02x}");
    }
    Ok(())
}

/// The fields after the first line of a control packet on `-v`.
fn control_fields(out: &mut String, b: Bytes, flags: u8) -> Res {
    let mult = b.u8(2)?;
    let tx = b.be32(12)?;
    put!(
        out,
        "\n\tDetection Timer Multiplier: {mult} ({} ms Detection time), BFD Length: {}",
        u32::from(mult).wrapping_mul(tx) / 1000,
        b.u8(3)?
    );
    put!(out, "\n\tMy Discriminator: 0x{:08x}", b.be32(4)?);
    put!(out, ", Your Discriminator: 0x{:08x}", b.be32(8)?);
    put!(out, "\n\t  Desired min Tx Interval:    {:4} ms", tx / 1000);
    put!(
        out,
        "\n\t  Required min Rx Interval:   {:4} ms",
        b.be32(16)? / 1000
    );
    put!(
        out,
        "\n\t  Required min Echo Interval: {:4} ms",
        b.be32(20)? / 1000
    );
    if flags & 0x04 != 0 {
        auth(out, b)?;
    }
    Ok(())
}

/// `BFDv1, Control, State Up, Flags: [none], length: 24`.
pub(crate) fn print(out: &mut String, cx: &Ctx, b: Bytes, length: u32, port: u16) -> Res {
    let v = cx.verbose > 0;
    let kind = match port {
        3784 => "Control",
        4784 => "Multihop",
        6784 => "Lag",
        3785 => {
            put!(out, "BFD, Echo, length: {length}");
            if v {
                unknown_data(out, b, "\n\t", 0, length as usize);
            }
            return Ok(());
        }
        _ => {
            put!(out, "BFD, unknown ({port}), length: {length}");
            if v {
                unknown_data(out, b, "\n\t", 0, length as usize);
            }
            return Ok(());
        }
    };
    b.get(0, 24)?;
    let vd = b.u8(0)?;
    let version = vd >> 5;
    let diag = vd & 0x1f;
    let diag_name = DIAGS.get(usize::from(diag)).copied().unwrap_or("unknown");
    let flags = b.u8(1)?;
    match version {
        0 => {
            let f = bits(&V0_FLAGS, flags);
            if !v {
                put!(out, "BFDv0, Control, Flags: [{f}], length: {length}");
                return Ok(());
            }
            put!(
                out,
                "BFDv0, length: {length}\n\tControl, Flags: [{f}], Diagnostic: {diag_name} (0x{diag:02x})"
            );
            control_fields(out, b, flags)
        }
        1 => {
            let state = ["AdminDown", "Down", "Init", "Up"][usize::from(flags >> 6)];
            let f = bits(&V1_FLAGS, flags & 0x3f);
            if !v {
                put!(
                    out,
                    "BFDv1, {kind}, State {state}, Flags: [{f}], length: {length}"
                );
                return Ok(());
            }
            put!(
                out,
                "BFDv1, length: {length}\n\t{kind}, State {state}, Flags: [{f}], Diagnostic: {diag_name} (0x{diag:02x})"
            );
            control_fields(out, b, flags)
        }
        _ => {
            put!(out, "BFDv{version}, Control, length: {length}");
            if v {
                unknown_data(out, b, "\n\t", 0, length as usize);
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::{app, app_len};

    fn control() -> Vec<u8> {
        let mut p = vec![0x20, 0xd8, 3, 24];
        for v in [0x1122_3344u32, 0x5566_7788, 1_000_000, 300_000, 50_000] {
            p.extend(v.to_be_bytes());
        }
        p
    }

    #[test]
    fn control_line() {
        assert_eq!(
            app(0, 49153, 3784, &control()),
            "BFDv1, Control, State Up, Flags: [Final, Control Plane Independent], length: 24"
        );
        assert_eq!(app_len(0, 49153, 3784, &control()[..20], 24), " [|bfd]");
    }
}
