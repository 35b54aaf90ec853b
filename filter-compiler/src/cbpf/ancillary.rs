//! Packet metadata ([`Meta`]) in classic programs: Linux's ancillary loads
//! (`ldh [type]`, `ld [ifidx]`), as libpcap emits them for live capture,
//! and their answers in user space.
//!
//! The kernel answers an absolute load at `SKF_AD_OFF + n` with its
//! metadata; the user-space engines (like libpcap's `bpf_filter`) read it
//! as an offset past the packet. For packets whose metadata is known here
//! (pcapng records, the live ring's frames), [`Answered`] runs the same
//! program with each ancillary load replaced by an immediate load of the
//! answer: one [`Runner`] per combination of answers met, so the JIT runs
//! them as fast as any other program, and one compiled program serves
//! the kernel and user space alike.

use super::insn::{ABS, H, IMM, Insn, LD, SKF_AD_OFF, W};
use super::{Program, Runner};
use crate::ir::Meta;

/// `SKF_AD_PKTTYPE`: the packet type.
pub const SKF_AD_PKTTYPE: u32 = 4;
/// `SKF_AD_IFINDEX`: the interface's index.
pub const SKF_AD_IFINDEX: u32 = 8;

/// The load that reads `m` in the kernel: its size and offset (the
/// sizes libpcap uses: a half word for the type, a word for the index).
pub(crate) fn load(m: Meta) -> (u16, u32) {
    match m {
        Meta::PktType => (H, SKF_AD_OFF + SKF_AD_PKTTYPE),
        Meta::IfIndex => (W, SKF_AD_OFF + SKF_AD_IFINDEX),
    }
}

/// The metadata `i` reads, if it is one of [`load`]'s.
fn reads(i: &Insn) -> Option<Meta> {
    if i.class() != LD || i.mode() != ABS {
        return None;
    }
    [Meta::PktType, Meta::IfIndex]
        .into_iter()
        .find(|&m| load(m) == (i.size(), i.k))
}

/// What one packet's metadata says, as the kernel would.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Answers {
    /// Linux's packet type (`PACKET_HOST` 0 ... `PACKET_OUTGOING` 4);
    /// `None` when not known (a pcapng record without direction).
    pub pkttype: Option<u32>,
    /// The interface's index (or pcapng interface id).
    pub ifindex: u32,
}

/// Why a packet's answers do not do for the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unanswered;

/// A program run in user space with its ancillary loads answered per
/// packet.
pub struct Answered {
    program: Program,
    /// Which metadata the program reads.
    pkttype: bool,
    ifindex: bool,
    /// A runner per combination of answers met (a handful at most).
    runners: Vec<(Answers, Runner)>,
}

impl Answered {
    /// `program`, to run with answers; a program that reads no metadata
    /// gets one runner for every packet.
    pub fn new(program: &Program) -> Answered {
        let met = |m| program.insns().iter().any(|i| reads(i) == Some(m));
        let mut a = Answered {
            program: program.clone(),
            pkttype: met(Meta::PktType),
            ifindex: met(Meta::IfIndex),
            runners: Vec::new(),
        };
        if !a.reads_metadata() {
            a.runners.push((Answers::default(), Runner::new(program)));
        }
        a
    }

    /// Whether the program reads any metadata (else every packet's
    /// answers are ignored).
    pub fn reads_metadata(&self) -> bool {
        self.pkttype || self.ifindex
    }

    /// Whether the program reads the packet type.
    pub fn reads_pkttype(&self) -> bool {
        self.pkttype
    }

    /// The runner for every packet, when the program reads no metadata.
    pub fn plain(&self) -> Option<&Runner> {
        match self.runners.as_slice() {
            [(_, r)] if !self.reads_metadata() => Some(r),
            _ => None,
        }
    }

    /// Runs the program over a packet with these answers; an error when
    /// the program needs the packet type and the answers have none.
    pub fn run(&mut self, pkt: &[u8], wirelen: u32, answers: Answers) -> Result<u32, Unanswered> {
        if !self.reads_metadata() {
            return Ok(self.runners[0].1.run(pkt, wirelen));
        }
        let key = Answers {
            pkttype: if self.pkttype {
                Some(answers.pkttype.ok_or(Unanswered)?)
            } else {
                None
            },
            ifindex: if self.ifindex { answers.ifindex } else { 0 },
        };
        let i = match self.runners.iter().position(|(k, _)| *k == key) {
            Some(i) => i,
            None => {
                let answered = answer(&self.program, key);
                self.runners.push((key, Runner::new(&answered)));
                self.runners.len() - 1
            }
        };
        Ok(self.runners[i].1.run(pkt, wirelen))
    }
}

/// `program` with its metadata loads replaced by immediate loads of
/// `answers` (which the program needs, see [`Answered::run`]).
fn answer(program: &Program, answers: Answers) -> Program {
    let insns = program
        .insns()
        .iter()
        .map(|&i| match reads(&i) {
            Some(m) => Insn::stmt(
                LD | IMM,
                match m {
                    Meta::PktType => answers.pkttype.unwrap_or(0),
                    Meta::IfIndex => answers.ifindex,
                },
            ),
            None => i,
        })
        .collect();
    // Only loads changed, to loads that cannot fail: the rules still hold.
    Program::new(insns).expect("an answered program stays valid")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{CompileOptions, LinkType, PacketSource, compile};

    fn kernel(expr: &str) -> Program {
        let opts = CompileOptions {
            source: PacketSource::Kernel {
                interfaces: vec![("eth1".into(), 7)],
                only: None,
            },
            ..CompileOptions::new(LinkType::EN10MB)
        };
        compile(expr, &opts).unwrap()
    }

    #[test]
    fn direction_and_interface_are_answered_per_packet() {
        let mut a = Answered::new(&kernel("inbound and ifname eth1"));
        assert!(a.reads_metadata() && a.reads_pkttype() && a.plain().is_none());
        let pkt = [0u8; 14];
        let ans = |pkttype, ifindex| Answers {
            pkttype: Some(pkttype),
            ifindex,
        };
        assert_eq!(a.run(&pkt, 14, ans(0, 7)), Ok(262_144));
        assert_eq!(a.run(&pkt, 14, ans(4, 7)), Ok(0));
        assert_eq!(a.run(&pkt, 14, ans(0, 8)), Ok(0));
        let none = Answers {
            pkttype: None,
            ifindex: 7,
        };
        assert_eq!(a.run(&pkt, 14, none), Err(Unanswered));
    }

    #[test]
    fn a_program_without_metadata_has_one_runner() {
        let mut a = Answered::new(&kernel("ip"));
        assert!(!a.reads_metadata() && a.plain().is_some());
        assert_eq!(a.run(&[0; 14], 14, Answers::default()), Ok(0));
    }
}
