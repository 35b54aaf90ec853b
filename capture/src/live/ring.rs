//! The kernel's `TPACKET_V3` receive ring of a packet socket, mapped into
//! this process: blocks of packets that the kernel fills and hands over,
//! and that are handed back once read. [`Ring`] owns the mapping; the
//! packets of a block are read as [`Frame`]s from a bounds-checked byte
//! slice, so that the only unsafe code is the mapping and the block
//! ownership protocol.

use std::io;
use std::mem::size_of;
use std::os::fd::{AsFd, AsRawFd};
use std::ptr::NonNull;
use std::sync::atomic::{Ordering, fence};

use crate::sys::{self, OsError};

/// Size of a block; a packet never spans two.
const BLOCK_SIZE: usize = 256 << 10;
/// The frame size the kernel asks for (`TPACKET_V3` packs packets
/// densely, but checks the geometry against it).
const FRAME_SIZE: usize = 2048;

/// A mapped `TPACKET_V3` ring; dropping it unmaps it.
pub(super) struct Ring {
    base: NonNull<u8>,
    block_size: usize,
    blocks: usize,
    /// The block the kernel hands over next.
    next: usize,
}

// SAFETY: the mapping belongs to the ring alone and is only reached
// through it; moving it to another thread moves that ownership.
unsafe impl Send for Ring {}

impl Ring {
    /// Sets the packet socket `fd` up for `TPACKET_V3` with a ring of
    /// about `size` bytes (at least two blocks), whose blocks the kernel
    /// hands over when full or `retire_ms` after their first packet, and
    /// maps it.
    pub(super) fn new(fd: &impl AsFd, size: usize, retire_ms: u32) -> Result<Ring, OsError> {
        let version = libc::tpacket_versions::TPACKET_V3 as libc::c_int;
        sys::setsockopt(fd, libc::SOL_PACKET, libc::PACKET_VERSION, &version)
            .map_err(sys::os::<OsError>("PACKET_VERSION"))?;
        let blocks = (size / BLOCK_SIZE).max(2);
        let req = libc::tpacket_req3 {
            tp_block_size: BLOCK_SIZE as u32,
            tp_block_nr: blocks as u32,
            tp_frame_size: FRAME_SIZE as u32,
            tp_frame_nr: (blocks * BLOCK_SIZE / FRAME_SIZE) as u32,
            tp_retire_blk_tov: retire_ms,
            tp_sizeof_priv: 0,
            tp_feature_req_word: 0,
        };
        sys::setsockopt(fd, libc::SOL_PACKET, libc::PACKET_RX_RING, &req).map_err(sys::os::<
            OsError,
        >(
            "PACKET_RX_RING",
        ))?;
        let base = map(fd, blocks * BLOCK_SIZE).map_err(sys::os("mmap of the packet ring"))?;
        // SAFETY: the kernel's ring for `fd`, mapped whole just now.
        Ok(unsafe { Ring::from_mapping(base, BLOCK_SIZE, blocks) })
    }

    /// A ring over a mapping of `blocks` blocks of `block_size` bytes.
    ///
    /// # Safety
    /// `base` must be a shared, writable mapping of exactly that length,
    /// laid out as a `TPACKET_V3` ring, and owned by the ring from now on
    /// (it is unmapped on drop).
    unsafe fn from_mapping(base: NonNull<u8>, block_size: usize, blocks: usize) -> Ring {
        Ring {
            base,
            block_size,
            blocks,
            next: 0,
        }
    }

    /// The descriptor of the block handed over next.
    fn descriptor(&self) -> *mut libc::tpacket_block_desc {
        // SAFETY: `next < blocks`, so the block lies inside the mapping.
        unsafe { self.base.as_ptr().add(self.next * self.block_size).cast() }
    }

    /// Whether the kernel has handed over the next block.
    pub(super) fn ready(&self) -> bool {
        let block = self.descriptor();
        // SAFETY: reading the status word the kernel updates.
        let status =
            unsafe { std::ptr::read_volatile(std::ptr::addr_of!((*block).hdr.bh1.block_status)) };
        // The packets are read after the status that says they are there.
        fence(Ordering::Acquire);
        status & libc::TP_STATUS_USER != 0
    }

    /// When the kernel has handed over the next block, hands its packets
    /// to `f`, then gives the block back to the kernel and moves on to the
    /// next one; `None` (and nothing read) while it has not.
    pub(super) fn take_block<T>(&mut self, f: impl FnOnce(Frames<'_>) -> T) -> Option<T> {
        if !self.ready() {
            return None;
        }
        let block = self.descriptor();
        let out = {
            // SAFETY: the block is user space's (TP_STATUS_USER) until its
            // status is written below, and nothing else refers to it; the
            // slice does not outlive `f`.
            let bytes = unsafe { std::slice::from_raw_parts(block.cast::<u8>(), self.block_size) };
            f(Frames::new(bytes))
        };
        // The packets are read before the block goes back.
        fence(Ordering::Release);
        // SAFETY: writing the status word of our own block, which hands it
        // back to the kernel.
        unsafe {
            std::ptr::write_volatile(
                std::ptr::addr_of_mut!((*block).hdr.bh1.block_status),
                libc::TP_STATUS_KERNEL,
            )
        };
        self.next = (self.next + 1) % self.blocks;
        Some(out)
    }
}

impl Drop for Ring {
    fn drop(&mut self) {
        // SAFETY: unmapping the mapping the ring owns, once.
        unsafe { libc::munmap(self.base.as_ptr().cast(), self.blocks * self.block_size) };
    }
}

/// Maps `len` bytes of the ring the kernel allocated for `fd`, locked in
/// memory when `RLIMIT_MEMLOCK` allows (the ring works without).
fn map(fd: &impl AsFd, len: usize) -> io::Result<NonNull<u8>> {
    let fd = fd.as_fd().as_raw_fd();
    let prot = libc::PROT_READ | libc::PROT_WRITE;
    for flags in [libc::MAP_SHARED | libc::MAP_LOCKED, libc::MAP_SHARED] {
        // SAFETY: a new mapping of the socket's ring; the kernel checks
        // `len` against the ring it allocated.
        let ring = unsafe { libc::mmap(std::ptr::null_mut(), len, prot, flags, fd, 0) };
        if ring != libc::MAP_FAILED
            && let Some(ring) = NonNull::new(ring.cast())
        {
            return Ok(ring);
        }
    }
    Err(io::Error::last_os_error())
}

/// One packet of a block, as the kernel describes it.
pub(super) struct Frame<'a> {
    /// Arrival time: seconds and nanoseconds since the epoch.
    pub(super) sec: u32,
    /// See `sec`.
    pub(super) nsec: u32,
    /// Length on the wire.
    pub(super) wirelen: u32,
    /// The captured bytes, from the link-layer header.
    pub(super) data: &'a [u8],
    /// The captured bytes from the network header (for cooked sockets,
    /// which have no link-layer header).
    pub(super) net: &'a [u8],
    /// Where the packet came from: interface, packet type, addresses.
    pub(super) addr: libc::sockaddr_ll,
}

/// The packets of a block, in order.
pub(super) struct Frames<'a> {
    block: &'a [u8],
    /// Offset of the next packet's header.
    at: usize,
    /// Packets not read yet.
    left: u32,
}

impl<'a> Frames<'a> {
    /// The packets of `block`, a whole block from its descriptor on.
    fn new(block: &'a [u8]) -> Frames<'a> {
        let Some(desc) = read::<libc::tpacket_block_desc>(block, 0) else {
            return Frames {
                block,
                at: 0,
                left: 0,
            };
        };
        // SAFETY: TPACKET_V3 blocks have the version 1 block header.
        let bh = unsafe { desc.hdr.bh1 };
        Frames {
            block,
            at: bh.offset_to_first_pkt as usize,
            left: bh.num_pkts,
        }
    }
}

impl<'a> Iterator for Frames<'a> {
    type Item = Frame<'a>;

    /// The next packet; the walk stops early where a header or packet
    /// would lie outside the block (which the kernel never writes).
    fn next(&mut self) -> Option<Frame<'a>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let at = self.at;
        let frame = self.frame(at);
        if frame.is_none() {
            self.left = 0;
        }
        frame
    }
}

impl<'a> Frames<'a> {
    fn frame(&mut self, at: usize) -> Option<Frame<'a>> {
        let h = read::<libc::tpacket3_hdr>(self.block, at)?;
        // The kernel's sockaddr_ll follows the aligned header.
        let addr = read::<libc::sockaddr_ll>(
            self.block,
            at + libc::TPACKET3_HDRLEN - size_of::<libc::sockaddr_ll>(),
        )?;
        let len = h.tp_snaplen as usize;
        let mac = at + usize::from(h.tp_mac);
        // Read for cooked sockets only, where it is where `data` starts.
        let net = self.block.get(at + usize::from(h.tp_net)..)?;
        self.at = at + h.tp_next_offset as usize;
        Some(Frame {
            sec: h.tp_sec,
            nsec: h.tp_nsec,
            wirelen: h.tp_len,
            data: self.block.get(mac..mac + len)?,
            net: &net[..len.min(net.len())],
            addr,
        })
    }
}

/// A plain-data `T` at `offset` of `bytes`, if it lies inside.
fn read<T: Copy>(bytes: &[u8], offset: usize) -> Option<T> {
    let end = offset.checked_add(size_of::<T>())?;
    let src = bytes.get(offset..end)?;
    // SAFETY: `src` holds size_of::<T>() bytes; the kernel structs read
    // here are plain data, valid for any bytes.
    Some(unsafe { std::ptr::read_unaligned(src.as_ptr().cast::<T>()) })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCK: usize = 4096;

    /// Writes plain-data `value` at `offset` of `bytes`.
    fn write<T: Copy>(bytes: &mut [u8], offset: usize, value: T) {
        assert!(offset + size_of::<T>() <= bytes.len());
        // SAFETY: checked to fit; plain data.
        unsafe { std::ptr::write_unaligned(bytes[offset..].as_mut_ptr().cast::<T>(), value) };
    }

    /// A block as the kernel lays it out, holding `packets` (each with
    /// its interface index), with `status`.
    fn fill_block(bytes: &mut [u8], status: u32, packets: &[(&[u8], i32)]) {
        // SAFETY: plain data.
        let mut desc: libc::tpacket_block_desc = unsafe { std::mem::zeroed() };
        let first = 64;
        desc.hdr.bh1.block_status = status;
        desc.hdr.bh1.num_pkts = packets.len() as u32;
        desc.hdr.bh1.offset_to_first_pkt = first;
        write(bytes, 0, desc);
        let mut at = first as usize;
        for (i, &(data, ifindex)) in packets.iter().enumerate() {
            let mac = libc::TPACKET3_HDRLEN as u16;
            let next = (usize::from(mac) + data.len()).next_multiple_of(16);
            // SAFETY: plain data.
            let mut h: libc::tpacket3_hdr = unsafe { std::mem::zeroed() };
            h.tp_next_offset = if i + 1 < packets.len() {
                next as u32
            } else {
                0
            };
            h.tp_sec = 1000 + i as u32;
            h.tp_nsec = 7;
            h.tp_snaplen = data.len() as u32;
            h.tp_len = data.len() as u32 + 100;
            h.tp_mac = mac;
            h.tp_net = mac;
            write(bytes, at, h);
            // SAFETY: plain data.
            let mut ll: libc::sockaddr_ll = unsafe { std::mem::zeroed() };
            ll.sll_ifindex = ifindex;
            write(
                bytes,
                at + libc::TPACKET3_HDRLEN - size_of::<libc::sockaddr_ll>(),
                ll,
            );
            bytes[at + usize::from(mac)..][..data.len()].copy_from_slice(data);
            at += next;
        }
    }

    /// A block handed over to user space, holding `packets`.
    fn user_block(packets: &[(&[u8], i32)]) -> Vec<u8> {
        let mut block = vec![0u8; BLOCK];
        fill_block(&mut block, libc::TP_STATUS_USER, packets);
        block
    }

    #[test]
    fn frames_are_read_as_the_kernel_lays_them_out() {
        let block = user_block(&[(b"first", 2), (b"second!", 3)]);
        let frames: Vec<Frame<'_>> = Frames::new(&block).collect();
        assert_eq!(frames.len(), 2);
        assert_eq!(
            (frames[0].data, frames[0].net),
            (&b"first"[..], &b"first"[..])
        );
        assert_eq!(frames[1].data, b"second!");
        assert_eq!(
            (frames[1].sec, frames[1].nsec, frames[1].wirelen),
            (1001, 7, 107)
        );
        assert_eq!(frames[1].addr.sll_ifindex, 3);
    }

    #[test]
    fn a_packet_past_the_block_ends_the_walk() {
        let mut block = user_block(&[(b"one", 1), (b"two", 1)]);
        // The second packet claims more bytes than the block has.
        let second = 64 + (libc::TPACKET3_HDRLEN + 3).next_multiple_of(16);
        write(&mut block, second + 12, BLOCK as u32);
        let frames: Vec<Frame<'_>> = Frames::new(&block).collect();
        assert_eq!(frames.len(), 1);
        assert_eq!(Frames::new(&block[..8]).count(), 0);
    }

    /// An anonymous shared mapping of `blocks` blocks, as a ring.
    fn anonymous_ring(blocks: usize) -> Ring {
        // SAFETY: a fresh anonymous mapping, checked below.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                blocks * BLOCK,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED | libc::MAP_ANONYMOUS,
                -1,
                0,
            )
        };
        assert_ne!(base, libc::MAP_FAILED);
        // SAFETY: the mapping has that length and is the ring's alone.
        unsafe { Ring::from_mapping(NonNull::new(base.cast()).unwrap(), BLOCK, blocks) }
    }

    /// The bytes of block `i` of `ring`, as the kernel would write them.
    fn kernel_side(ring: &mut Ring, i: usize) -> &mut [u8] {
        // SAFETY: block `i` lies inside the mapping; the test plays the
        // kernel and writes only blocks it owns.
        unsafe { std::slice::from_raw_parts_mut(ring.base.as_ptr().add(i * BLOCK), BLOCK) }
    }

    #[test]
    fn blocks_are_taken_in_turn_and_handed_back() {
        let mut ring = anonymous_ring(2);
        assert!(!ring.ready());
        assert_eq!(ring.take_block(|f| f.count()), None);
        fill_block(
            kernel_side(&mut ring, 0),
            libc::TP_STATUS_USER,
            &[(b"a", 1)],
        );
        fill_block(
            kernel_side(&mut ring, 1),
            libc::TP_STATUS_USER,
            &[(b"b", 1), (b"c", 1)],
        );
        let data = |f: Frames<'_>| f.map(|f| f.data.to_vec()).collect::<Vec<_>>();
        assert_eq!(ring.take_block(data), Some(vec![b"a".to_vec()]));
        assert_eq!(
            ring.take_block(data),
            Some(vec![b"b".to_vec(), b"c".to_vec()])
        );
        // Both went back to the kernel, and the ring wrapped around.
        for i in 0..2 {
            let status = read::<u32>(kernel_side(&mut ring, i), 8).unwrap();
            assert_eq!(status, libc::TP_STATUS_KERNEL);
        }
        assert!(!ring.ready());
        fill_block(
            kernel_side(&mut ring, 0),
            libc::TP_STATUS_USER,
            &[(b"d", 1)],
        );
        assert_eq!(ring.take_block(data), Some(vec![b"d".to_vec()]));
    }

    #[test]
    fn the_ring_moves_between_threads() {
        let mut ring = anonymous_ring(2);
        fill_block(
            kernel_side(&mut ring, 0),
            libc::TP_STATUS_USER,
            &[(b"x", 1)],
        );
        let n = std::thread::spawn(move || ring.take_block(|f| f.count()))
            .join()
            .unwrap();
        assert_eq!(n, Some(1));
    }
}
