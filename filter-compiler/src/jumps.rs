//! Jumps to labels, turned into offsets once the code is laid out, with
//! trampolines for targets beyond an instruction set's reach; shared by
//! the classic and the eBPF back end.
//!
//! Both back ends emit code whose jumps name labels (the IR's nodes and
//! the two exits) and let [`resolve`] lay it out. Classic BPF's
//! conditional jumps reach 255 instructions, eBPF's 32767: a jump to a
//! farther label goes to a trampoline (a `ja`, or in classic BPF a copy of
//! the return it would reach) placed in a gap where control does not fall
//! through (always before a label, so that sequences with fixed offsets
//! inside stay whole), as late as the reach allows, so that the many jumps of a large
//! comparison tree to "accept" share one. eBPF's `ja` has the same 16-bit
//! reach, so its trampolines chain. Where no gap is within reach (eBPF's
//! conditional jumps fall through, so a long run of tests has none), one is
//! made: a `ja` over the trampolines.
//!
//! Trampolines rather than eBPF's 32-bit `gotol` (`BPF_JMP32 | BPF_JA`,
//! Linux 6.4 and later): they load on every kernel that runs eBPF socket
//! filters and XDP.
//!
//! Reach is measured in what the kernel turns the instructions into
//! ([`Isa::cost`]): the eBPF verifier rewrites each legacy packet load into
//! a helper call of up to seven instructions and refuses the program
//! ("cannot be patched due to 16-bit range", `ENOMEM`) when a jump across
//! them no longer fits its offset.

use rustc_hash::FxHashMap as HashMap;

/// A jump target: a position in the code, marked by [`Item::Label`].
pub type Label = usize;

/// An instruction whose jump targets are labels.
#[derive(Clone, Copy, Debug)]
pub enum Item<I> {
    /// An instruction without a label target (it may still jump by a
    /// fixed offset within a sequence that has no label inside).
    Plain(I),
    /// A conditional jump to `t` if taken, else to `f` — or on to the next
    /// instruction when `f` is `None` (eBPF).
    Cond { insn: I, t: Label, f: Option<Label> },
    /// An unconditional jump.
    Ja(Label),
    /// Marks the position of a label.
    Label(Label),
}

/// What [`resolve`] needs to know about an instruction set.
pub trait Isa {
    type Insn: Copy;
    /// How far forward a conditional jump reaches, in [`Isa::cost`] units
    /// after the jump.
    const COND_REACH: usize;
    /// How far forward `ja` reaches.
    const JA_REACH: usize;
    /// Trampolines go at most this far after their jump, a margin below
    /// the reach so that trampolines added in between rarely push them out
    /// of it (when they do, the next round routes the jump again).
    const PLACE_WITHIN: usize;
    /// How many instructions the kernel may make of `insn`.
    fn cost(insn: &Self::Insn) -> usize;
    /// Whether control never goes on from `insn` to the next instruction.
    fn ends_flow(insn: &Self::Insn) -> bool;
    /// Whether `insn`, found at a jump's target, can stand in for the jump
    /// (a one-instruction return).
    fn is_return(insn: &Self::Insn) -> bool;
    /// `ja +off`.
    fn ja(off: usize) -> Self::Insn;
    /// Sets a conditional jump's offsets (`f` when it has a second target).
    fn set_offsets(insn: &mut Self::Insn, t: usize, f: Option<usize>);
}

/// Why the code could not be laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unresolved {
    /// The program grew past `max_len` instructions (their number).
    TooLong(usize),
    /// A jump's target is out of reach and no label within reach gives a
    /// place for a trampoline.
    NoPlace,
}

/// Where the labels are (in cost units and in instructions) and how many
/// instructions there are. Labels are small dense numbers (nodes, then
/// trampolines), so the positions are vectors indexed by label.
struct Layout {
    cost_at: Vec<usize>,
    index_at: Vec<usize>,
    len: usize,
    /// The cost of all the items: no jump is longer.
    cost: usize,
}

/// One more than the largest label in `items` (0 without labels).
fn label_bound<A: Isa>(items: &[Item<A::Insn>]) -> Label {
    items
        .iter()
        .filter_map(|it| match it {
            Item::Label(l) => Some(*l + 1),
            _ => None,
        })
        .max()
        .unwrap_or(0)
}

fn layout<A: Isa>(items: &[Item<A::Insn>]) -> Layout {
    let labels = label_bound::<A>(items);
    let mut l = Layout {
        cost_at: vec![usize::MAX; labels],
        index_at: vec![usize::MAX; labels],
        len: 0,
        cost: 0,
    };
    let mut cost = 0;
    for it in items {
        match it {
            Item::Label(label) => {
                l.cost_at[*label] = cost;
                l.index_at[*label] = l.len;
            }
            _ => {
                cost += item_cost::<A>(it);
                l.len += 1;
            }
        }
    }
    l.cost = cost;
    l
}

fn item_cost<A: Isa>(it: &Item<A::Insn>) -> usize {
    match it {
        Item::Plain(i) => A::cost(i),
        Item::Label(_) => 0,
        _ => 1,
    }
}

fn ends_flow<A: Isa>(it: &Item<A::Insn>) -> bool {
    match it {
        Item::Cond { f, .. } => f.is_some(),
        Item::Ja(_) => true,
        Item::Plain(i) => A::ends_flow(i),
        Item::Label(_) => false,
    }
}

/// A place for trampolines: right after item `after`, where the first
/// one would start at cost position `at`; a `forced` place first needs a
/// `ja` to the label that follows, over the trampolines.
#[derive(Clone, Copy, Debug)]
struct Place {
    at: usize,
    after: usize,
    forced: Option<Label>,
}

/// One round of routing far jumps to trampolines.
#[derive(Default)]
struct Router {
    /// Places after an instruction control does not fall through, in order.
    natural: Vec<Place>,
    /// Places before the other labels, in order.
    forced: Vec<Place>,
    /// Trampolines to add: item index → (trampoline label, target).
    added: HashMap<usize, Vec<(Label, Label)>>,
    /// Forced places taken: item index → the label to jump over to.
    made: HashMap<usize, Label>,
    /// Trampolines by target: (cost position, label), in order.
    by_target: HashMap<Label, Vec<(usize, Label)>>,
    fresh: Label,
}

impl Router {
    /// Finds the places in `items`, before labels.
    fn new<A: Isa>(items: &[Item<A::Insn>], fresh: Label) -> Router {
        let mut r = Router {
            fresh,
            ..Router::default()
        };
        let mut cost = 0;
        for (i, it) in items.iter().enumerate() {
            let Item::Label(l) = it else {
                cost += item_cost::<A>(it);
                continue;
            };
            if i == 0 || matches!(items[i - 1], Item::Label(_)) {
                continue;
            }
            if ends_flow::<A>(&items[i - 1]) {
                r.natural.push(Place {
                    at: cost,
                    after: i - 1,
                    forced: None,
                });
            } else {
                r.forced.push(Place {
                    at: cost + 1,
                    after: i - 1,
                    forced: Some(*l),
                });
            }
        }
        r
    }

    /// Where a jump at cost position `pc` to `target`, which is `dist`
    /// away, should go: the target itself when within `reach`, else a
    /// trampoline at least `min_hop` on (a conditional jump may use one
    /// right after it; a `ja` must get a good way on, or it would only
    /// move its problem along). `None` if there is no place for one.
    fn route<A: Isa>(
        &mut self,
        pc: usize,
        target: Label,
        dist: usize,
        reach: usize,
        min_hop: usize,
    ) -> Option<Label> {
        if dist <= reach {
            return Some(target);
        }
        [min_hop.max(1), 1]
            .into_iter()
            .find_map(|hop| self.trampoline(target, pc + hop..=pc + A::PLACE_WITHIN))
    }

    /// A trampoline to `target` starting within `window`: one already
    /// there, or a new one in the last place within it (natural places
    /// first, as they cost no extra `ja`).
    fn trampoline(
        &mut self,
        target: Label,
        window: std::ops::RangeInclusive<usize>,
    ) -> Option<Label> {
        if let Some(&(_, l)) = self
            .by_target
            .get(&target)
            .and_then(|v| v.iter().rev().find(|(at, _)| window.contains(at)))
        {
            return Some(l);
        }
        let last_in = |places: &[Place]| {
            let end = places.partition_point(|p| p.at <= *window.end());
            places[..end]
                .last()
                .filter(|p| window.contains(&p.at))
                .copied()
        };
        let place = last_in(&self.natural).or_else(|| last_in(&self.forced))?;
        if let Some(over) = place.forced {
            // Taken: from now on a natural place for other jumps.
            self.made.insert(place.after, over);
            self.forced.retain(|p| p.after != place.after);
            let i = self.natural.partition_point(|p| p.at < place.at);
            let place = Place {
                forced: None,
                ..place
            };
            self.natural.insert(i, place);
        }
        let label = self.fresh;
        self.fresh += 1;
        self.added
            .entry(place.after)
            .or_default()
            .push((label, target));
        let list = self.by_target.entry(target).or_default();
        let i = list.partition_point(|&(at, _)| at <= place.at);
        list.insert(i, (place.at, label));
        Some(label)
    }
}

/// Turns labels into offsets, adding trampolines for far targets; fails
/// if the code grows past `max_len` instructions. Every jump must go
/// forward.
pub fn resolve<A: Isa>(
    mut items: Vec<Item<A::Insn>>,
    max_len: usize,
) -> Result<Vec<A::Insn>, Unresolved> {
    let mut fresh = label_bound::<A>(&items);
    let first_trampoline = fresh;
    let mut lay = layout::<A>(&items);
    loop {
        if lay.len > max_len {
            return Err(Unresolved::TooLong(lay.len));
        }
        // A program shorter than every jump's reach (most of them) needs
        // no trampoline: every jump goes straight to its target.
        if lay.cost <= A::COND_REACH.min(A::JA_REACH) {
            break;
        }
        let mut r = Router::new::<A>(&items, fresh);
        let mut pc = 0usize;
        for item in items.iter_mut() {
            let mut route = |target: Label, reach: usize, min_hop: usize| {
                let dist = lay.cost_at[target] - (pc + 1);
                r.route::<A>(pc, target, dist, reach, min_hop)
                    .ok_or(Unresolved::NoPlace)
            };
            match *item {
                Item::Cond { insn, t, f } => {
                    let t = route(t, A::COND_REACH, 0)?;
                    let f = f.map(|f| route(f, A::COND_REACH, 0)).transpose()?;
                    *item = Item::Cond { insn, t, f };
                }
                Item::Ja(to) if A::JA_REACH < usize::MAX => {
                    *item = Item::Ja(route(to, A::JA_REACH, A::PLACE_WITHIN / 2)?);
                }
                _ => {}
            }
            pc += item_cost::<A>(item);
        }
        fresh = r.fresh;
        if r.added.is_empty() {
            break;
        }
        items = with_trampolines::<A>(items, r.added, r.made);
        lay = layout::<A>(&items);
    }
    // Without trampolines (most programs) there is nothing to remove.
    if fresh > first_trampoline {
        items = without_dead_trampolines::<A>(items, first_trampoline);
        lay = layout::<A>(&items);
    }
    let mut out = Vec::with_capacity(lay.len);
    for it in items {
        let here = out.len();
        let off = |l: Label| lay.index_at[l] - here - 1;
        match it {
            Item::Label(_) => {}
            Item::Plain(i) => out.push(i),
            Item::Ja(l) => out.push(A::ja(off(l))),
            Item::Cond { mut insn, t, f } => {
                A::set_offsets(&mut insn, off(t), f.map(off));
                out.push(insn);
            }
        }
    }
    Ok(out)
}

/// `items` without the trampolines (labels from `first` on) no jump goes
/// to any more: a jump is routed again when trampolines added later push
/// its own out of reach, and the one left behind would be dead code,
/// which the eBPF verifier refuses ("unreachable insn"). Removing code
/// only brings the targets of forward jumps nearer.
fn without_dead_trampolines<A: Isa>(
    mut items: Vec<Item<A::Insn>>,
    first: Label,
) -> Vec<Item<A::Insn>> {
    // Which trampoline labels are jumped to, by `label - first`.
    let mut used = vec![false; label_bound::<A>(&items).saturating_sub(first)];
    loop {
        used.fill(false);
        let mut mark = |l: Label| {
            if let Some(u) = l.checked_sub(first).and_then(|i| used.get_mut(i)) {
                *u = true;
            }
        };
        for it in &items {
            match *it {
                Item::Cond { t, f, .. } => {
                    mark(t);
                    f.map(&mut mark);
                }
                Item::Ja(to) => mark(to),
                _ => {}
            }
        }
        let before = items.len();
        // A trampoline is its label and the one instruction after it.
        let mut dead = false;
        items.retain(|it| match *it {
            Item::Label(l) if l >= first && !used[l - first] => {
                dead = true;
                false
            }
            _ => !std::mem::take(&mut dead),
        });
        if items.len() == before {
            return items;
        }
    }
}

/// `items` with the trampolines of a round inserted (and the `ja`s over
/// those in forced places).
fn with_trampolines<A: Isa>(
    items: Vec<Item<A::Insn>>,
    added: HashMap<usize, Vec<(Label, Label)>>,
    made: HashMap<usize, Label>,
) -> Vec<Item<A::Insn>> {
    // What a label's first instruction is, to copy returns (by label:
    // labels are dense).
    let mut first: Vec<Option<A::Insn>> = vec![None; label_bound::<A>(&items)];
    let mut waiting: Vec<Label> = Vec::new();
    for it in &items {
        match it {
            Item::Label(l) => waiting.push(*l),
            Item::Plain(i) => {
                for l in waiting.drain(..) {
                    first[l] = Some(*i);
                }
            }
            _ => waiting.clear(),
        }
    }
    // The places, in the order of the items they follow (a few per
    // round), merged with the items instead of looked up at each.
    let mut places: Vec<_> = added
        .into_iter()
        .map(|(i, tramps)| (i, made.get(&i).copied(), tramps))
        .collect();
    places.sort_unstable_by_key(|p| p.0);
    let extra: usize = places.iter().map(|p| 2 * p.2.len() + 1).sum();
    let mut out = Vec::with_capacity(items.len() + extra);
    let mut places = places.into_iter().peekable();
    for (i, it) in items.into_iter().enumerate() {
        out.push(it);
        let Some((_, over, tramps)) = places.next_if(|p| p.0 == i) else {
            continue;
        };
        if let Some(over) = over {
            out.push(Item::Ja(over));
        }
        for (label, target) in tramps {
            out.push(Item::Label(label));
            match first.get(target).copied().flatten() {
                Some(ret) if A::is_return(&ret) => out.push(Item::Plain(ret)),
                _ => out.push(Item::Ja(target)),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toy instruction set: conditional jumps and `ja` reach 10, loads
    /// cost 3, returns end the flow.
    struct Toy;

    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    enum T {
        Load,
        Ret,
        Ja(usize),
        If(usize),
    }

    impl Isa for Toy {
        type Insn = T;
        const COND_REACH: usize = 10;
        const JA_REACH: usize = 10;
        const PLACE_WITHIN: usize = 8;
        fn cost(i: &T) -> usize {
            if *i == T::Load { 3 } else { 1 }
        }
        fn ends_flow(i: &T) -> bool {
            *i == T::Ret
        }
        fn is_return(_: &T) -> bool {
            false
        }
        fn ja(off: usize) -> T {
            T::Ja(off)
        }
        fn set_offsets(i: &mut T, t: usize, _: Option<usize>) {
            *i = T::If(t);
        }
    }

    /// Follows the code from `pc` as if every conditional jump were taken
    /// (`taken`) or not, to the return it reaches, checking each hop's
    /// reach in cost units.
    fn run(code: &[T], mut pc: usize, taken: bool) -> usize {
        loop {
            let hop = |from: usize, off: usize| {
                let cost: usize = code[from + 1..from + 1 + off].iter().map(Toy::cost).sum();
                assert!(cost <= 10, "a jump at {from} spans {cost}");
                from + 1 + off
            };
            pc = match code[pc] {
                T::Ret => return pc,
                T::Ja(off) => hop(pc, off),
                T::If(off) if taken => hop(pc, off),
                _ => pc + 1,
            };
        }
    }

    #[test]
    fn trampolines_no_jump_goes_to_are_dropped() {
        // Trampoline 11 is left behind, and with it 12, which only it
        // went to; 10 is still used.
        let items = vec![
            Item::Cond {
                insn: T::If(0),
                t: 10,
                f: None,
            },
            Item::Plain(T::Ret),
            Item::Label(11),
            Item::Ja(12),
            Item::Label(10),
            Item::Ja(1),
            Item::Label(12),
            Item::Ja(1),
            Item::Label(1),
            Item::Plain(T::Ret),
        ];
        let kept = without_dead_trampolines::<Toy>(items, 10);
        let labels: Vec<Label> = kept
            .iter()
            .filter_map(|it| match it {
                Item::Label(l) => Some(*l),
                _ => None,
            })
            .collect();
        assert_eq!(labels, [10, 1]);
        assert_eq!(kept.len(), 6);
    }

    #[test]
    fn far_jumps_chain_through_trampolines_made_where_needed() {
        // A test at the start jumps over 40 loads (cost 120, no gap
        // anywhere) to the second of two returns.
        let mut items = vec![Item::Cond {
            insn: T::If(0),
            t: 2,
            f: None,
        }];
        for i in 0..40 {
            items.push(Item::Label(100 + i));
            items.push(Item::Plain(T::Load));
        }
        items.extend([
            Item::Label(1),
            Item::Plain(T::Ret),
            Item::Label(2),
            Item::Plain(T::Ret),
        ]);
        let code = resolve::<Toy>(items, 1000).unwrap();
        let last = code.len() - 1;
        assert_eq!(run(&code, 0, true), last);
        assert_eq!(run(&code, 0, false), last - 1);
        // Not taken, the 40 loads still all run.
        let mut pc = 0;
        let mut loads = 0;
        while code[pc] != T::Ret {
            loads += usize::from(code[pc] == T::Load);
            pc = match code[pc] {
                T::Ja(off) => pc + 1 + off,
                _ => pc + 1,
            };
        }
        assert_eq!(loads, 40);
    }
}
