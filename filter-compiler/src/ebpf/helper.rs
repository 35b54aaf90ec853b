//! The kernel helper functions bpfcap's programs call.

/// A helper function, by its number in the kernel's `enum bpf_func_id`
/// (`linux/bpf.h`, the order of `___BPF_FUNC_MAPPER`; the numbers are
/// stable ABI).
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Helper {
    /// `void *bpf_map_lookup_elem(map, key)`.
    MapLookupElem = 1,
    /// `u64 bpf_ktime_get_ns(void)`: monotonic time.
    KtimeGetNs = 5,
    /// `void *bpf_ringbuf_reserve(ringbuf, size, flags)`.
    RingbufReserve = 131,
    /// `void bpf_ringbuf_submit(data, flags)`.
    RingbufSubmit = 132,
    /// `void bpf_ringbuf_discard(data, flags)`.
    RingbufDiscard = 133,
    /// `u64 bpf_ringbuf_query(ringbuf, flags)`.
    RingbufQuery = 134,
    /// `u64 bpf_xdp_get_buff_len(xdp_md)`: the frame's length, fragments
    /// included.
    XdpGetBuffLen = 188,
    /// `long bpf_xdp_load_bytes(xdp_md, offset, buf, len)`.
    XdpLoadBytes = 189,
}

impl Helper {
    /// The helper's number, the immediate of a call.
    pub const fn id(self) -> i32 {
        self as i32
    }
}
