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

impl Layout {
    /// The layout of no items, with room for labels below `labels`.
    fn new(labels: usize) -> Layout {
        Layout {
            // Zeroes (from the allocator, not written): only the labels
            // laid out are looked up.
            cost_at: vec![0; labels],
            index_at: vec![0; labels],
            len: 0,
            cost: 0,
        }
    }

    /// The layout of no items again, with room for labels below `labels`,
    /// in this one's vectors (not cleared: every label is laid out before
    /// it is looked up).
    fn again(mut self, labels: usize) -> Layout {
        self.cost_at.resize(labels, 0);
        self.index_at.resize(labels, 0);
        self.len = 0;
        self.cost = 0;
        self
    }

    /// Lays `it` out after the items so far.
    #[inline]
    fn add<A: Isa>(&mut self, it: &Item<A::Insn>) {
        match *it {
            Item::Label(label) => {
                self.cost_at[label] = self.cost;
                self.index_at[label] = self.len;
            }
            _ => {
                self.cost += item_cost::<A>(it);
                self.len += 1;
            }
        }
    }
}

/// The layout of `items`, and one more than their largest label (0
/// without labels), found in the same pass (a pass of its own, made
/// twice, was a tenth of laying out a large program).
fn layout<A: Isa>(items: &[Item<A::Insn>]) -> (Layout, Label) {
    // Room for a label every other item (code generation labels each
    // node, and follows each label with an instruction or more), grown
    // if there are more.
    let mut l = Layout::new(items.len() / 2 + 1);
    let mut bound = 0;
    for it in items {
        if let Item::Label(label) = *it
            && label >= bound
        {
            bound = label + 1;
            if bound > l.cost_at.len() {
                let len = bound.max(2 * l.cost_at.len());
                l.cost_at.resize(len, 0);
                l.index_at.resize(len, 0);
            }
        }
        l.add::<A>(it);
    }
    (l, bound)
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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Place {
    at: usize,
    after: usize,
    forced: Option<Label>,
}

/// The places for trampolines in a round's items, and where each label
/// is among them (to copy the return it marks into a trampoline).
/// Found as a round's items are made, so that routing does not take a
/// pass of its own over them.
struct Places {
    /// Places after an instruction control does not fall through, in order.
    natural: Vec<Place>,
    /// Places before the other labels, in order.
    forced: Vec<Place>,
    /// The index of each label's item (by label).
    item_at: Vec<usize>,
}

impl Places {
    /// No places yet, with room for labels below `labels`; `item_at` is
    /// reused (not cleared: every label is noted before it is looked up).
    fn new(mut item_at: Vec<usize>, labels: usize) -> Places {
        item_at.resize(labels, 0);
        Places {
            // Each place is before a label, and most are natural ones
            // (classic BPF's nodes start after a two-way jump): room for
            // all at once, rather than growing the list over and over.
            natural: Vec::with_capacity(labels),
            forced: Vec::new(),
            item_at,
        }
    }

    /// The places in `items`, before labels.
    fn of<A: Isa>(items: &[Item<A::Insn>], labels: usize) -> Places {
        let mut p = Places::new(Vec::new(), labels);
        let mut cost = 0;
        let mut prev = None;
        for (i, it) in items.iter().enumerate() {
            p.note::<A>(prev, it, i, cost);
            cost += item_cost::<A>(it);
            prev = Some(it);
        }
        p
    }

    /// Notes item `it`, number `i` at cost position `cost`, after `prev`:
    /// a label is a place for trampolines unless it follows another (or
    /// starts the code).
    #[inline]
    fn note<A: Isa>(
        &mut self,
        prev: Option<&Item<A::Insn>>,
        it: &Item<A::Insn>,
        i: usize,
        cost: usize,
    ) {
        let Item::Label(l) = *it else {
            return;
        };
        self.item_at[l] = i;
        self.place_before::<A>(prev, l, i, cost);
    }

    /// The place before label `l`, item `i` at cost position `cost`,
    /// after `prev`, if it is one.
    #[inline]
    fn place_before<A: Isa>(
        &mut self,
        prev: Option<&Item<A::Insn>>,
        l: Label,
        i: usize,
        cost: usize,
    ) {
        match prev {
            None | Some(Item::Label(_)) => {}
            Some(p) if ends_flow::<A>(p) => self.natural.push(Place {
                at: cost,
                after: i - 1,
                forced: None,
            }),
            Some(_) => self.forced.push(Place {
                at: cost + 1,
                after: i - 1,
                forced: Some(l),
            }),
        }
    }
}

/// The instruction at `label` in `items`, whose labels' indices are
/// `item_at`, when it is a plain one (a trampoline to a return is a copy
/// of it).
fn plain_at<I: Copy>(items: &[Item<I>], item_at: &[usize], label: Label) -> Option<I> {
    let at = *item_at.get(label)?;
    match items
        .get(at..)?
        .iter()
        .find(|it| !matches!(it, Item::Label(_)))?
    {
        Item::Plain(i) => Some(*i),
        _ => None,
    }
}

/// One round of routing far jumps to trampolines.
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
    /// A round with the `natural` and `forced` places of its items.
    fn new(natural: Vec<Place>, forced: Vec<Place>, fresh: Label) -> Router {
        Router {
            natural,
            forced,
            added: HashMap::default(),
            made: HashMap::default(),
            by_target: HashMap::default(),
            fresh,
        }
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
    let (mut lay, mut fresh) = layout::<A>(&items);
    let first_trampoline = fresh;
    // The places of the items of the next round, when the last one found
    // them.
    let mut places = None;
    // How many jumps go to each trampoline (by `label - first_trampoline`)
    // as the last round routed them, and where each label's item is.
    let mut uses: Vec<u32> = Vec::new();
    let mut item_at = Vec::new();
    loop {
        if lay.len > max_len {
            return Err(Unresolved::TooLong(lay.len));
        }
        // A program shorter than every jump's reach (most of them) needs
        // no trampoline: every jump goes straight to its target.
        if lay.cost <= A::COND_REACH.min(A::JA_REACH) {
            break;
        }
        let Places {
            natural,
            forced,
            item_at: at,
        } = places
            .take()
            .unwrap_or_else(|| Places::of::<A>(&items, fresh));
        item_at = at;
        uses.clear();
        uses.resize(fresh - first_trampoline, 0);
        let mut r = Router::new(natural, forced, fresh);
        let mut pc = 0usize;
        for item in items.iter_mut() {
            let mut route = |target: Label, reach: usize, min_hop: usize| {
                let dist = lay.cost_at[target] - (pc + 1);
                let to = r
                    .route::<A>(pc, target, dist, reach, min_hop)
                    .ok_or(Unresolved::NoPlace)?;
                // (Trampolines made in this round are not counted: a
                // round that makes one is not the last.)
                note_use(&mut uses, first_trampoline, to);
                Ok(to)
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
                Item::Ja(to) => note_use(&mut uses, first_trampoline, to),
                _ => {}
            }
            pc += item_cost::<A>(item);
        }
        fresh = r.fresh;
        if r.added.is_empty() {
            break;
        }
        let next;
        (items, lay, next) = with_trampolines::<A>(
            items,
            lay,
            std::mem::take(&mut item_at),
            r.natural,
            r.forced,
            r.added,
            r.made,
            fresh,
        );
        #[cfg(test)]
        same_as_laid_out_again::<A>(&items, &lay, &next, fresh);
        places = Some(next);
    }
    // Without trampolines (most programs) there is nothing to remove.
    if fresh > first_trampoline {
        (items, lay) = without_dead_trampolines::<A>(items, first_trampoline, lay, uses, &item_at);
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

/// Counts a jump to `to` in `uses` if `to` is a trampoline counted there
/// (`uses` is by `label - first`).
#[inline]
fn note_use(uses: &mut [u32], first: Label, to: Label) {
    if let Some(u) = to.checked_sub(first).and_then(|t| uses.get_mut(t)) {
        *u += 1;
    }
}

/// `items` without the trampolines (labels from `first` on) no jump goes
/// to any more, and their layout: a jump is routed again when
/// trampolines added later push its own out of reach, and the one left
/// behind would be dead code, which the eBPF verifier refuses
/// ("unreachable insn"). Removing code only brings the targets of forward
/// jumps nearer. `uses` counts the jumps to each trampoline (by `label -
/// first`), and `item_at` has the index of each label's item, as the
/// last round of routing found them. The layout reuses `lay`'s vectors;
/// without dead trampolines (most programs) `items` and `lay` stay.
fn without_dead_trampolines<A: Isa>(
    mut items: Vec<Item<A::Insn>>,
    first: Label,
    lay: Layout,
    mut uses: Vec<u32>,
    item_at: &[usize],
) -> (Vec<Item<A::Insn>>, Layout) {
    let n = uses.len();
    let labels = first + n;
    let tramp = |l: Label| l.checked_sub(first).filter(|&t| t < n);
    let at = |t: usize| item_at[first + t];
    // The dead ones, then those only dead ones jump to (a trampoline is
    // its label and the one instruction after it; jumps go forward, so
    // the chains end).
    let mut work: Vec<usize> = (0..n).filter(|&t| uses[t] == 0).collect();
    if work.is_empty() {
        return (items, lay);
    }
    let mut dead = vec![false; n];
    while let Some(t) = work.pop() {
        dead[t] = true;
        if let Some(&Item::Ja(to)) = items.get(at(t) + 1)
            && let Some(u) = tramp(to)
        {
            uses[u] -= 1;
            if uses[u] == 0 {
                work.push(u);
            }
        }
    }
    let mut lay = lay.again(labels);
    let mut skip = false;
    items.retain(|it| {
        let keep = match *it {
            Item::Label(l) if tramp(l).is_some_and(|t| dead[t]) => {
                skip = true;
                false
            }
            _ => !std::mem::take(&mut skip),
        };
        if keep {
            lay.add::<A>(it);
        }
        keep
    });
    (items, lay)
}

/// `items` with the trampolines of a round inserted (and the `ja`s over
/// those in forced places), laid out, with their places for the next
/// round. `item_at` has the index of each label's item in `items`,
/// `natural` and `forced` are the round's places as its routing left
/// them (forced places it took are natural now), and `labels` bounds
/// the labels.
///
/// Only a few places get trampolines, so the items between them are
/// moved in blocks, and their labels and places shifted by what was
/// inserted before them, rather than laid out and noted again one by
/// one (which was most of a large program's layout time); only the
/// inserted items and the label after each insertion are noted anew.
/// In tests the result is checked against laying everything out again.
/// The new layout and places reuse the vectors of `lay` and `item_at`.
#[allow(clippy::too_many_arguments)]
fn with_trampolines<A: Isa>(
    items: Vec<Item<A::Insn>>,
    mut lay: Layout,
    item_at: Vec<usize>,
    natural: Vec<Place>,
    forced: Vec<Place>,
    added: HashMap<usize, Vec<(Label, Label)>>,
    made: HashMap<usize, Label>,
    labels: Label,
) -> (Vec<Item<A::Insn>>, Layout, Places) {
    // The places, in the order of the items they follow (a few per
    // round); each trampoline a copy of the return at its target, or a
    // `ja` there.
    let mut places: Vec<_> = added
        .into_iter()
        .map(|(i, tramps)| {
            let tramps: Vec<_> = tramps
                .into_iter()
                .map(|(label, target)| match plain_at(&items, &item_at, target) {
                    Some(ret) if A::is_return(&ret) => (label, Item::Plain(ret)),
                    _ => (label, Item::Ja(target)),
                })
                .collect();
            (i, made.get(&i).copied(), tramps)
        })
        .collect();
    places.sort_unstable_by_key(|p| p.0);
    let extra: usize = places.iter().map(|p| 2 * p.2.len() + 1).sum();
    let mut out = Vec::with_capacity(items.len() + extra);
    lay.cost_at.resize(labels, 0);
    lay.index_at.resize(labels, 0);
    let mut next = Places::new(item_at, labels);
    next.natural.reserve(natural.len() + extra);
    next.forced.reserve(forced.len());
    let mut old = OldPlaces {
        natural: natural.into_iter().peekable(),
        forced: forced.into_iter().peekable(),
    };
    // What was inserted so far.
    let mut shift = Shift::default();
    let mut from = 0;
    for (after, over, tramps) in places {
        shift.block::<A>(
            &items[from..=after],
            from,
            &mut out,
            &mut lay,
            &mut next,
            &mut old,
        );
        // The label the place is before, and where it was.
        let Some(&Item::Label(before)) = items.get(after + 1) else {
            unreachable!("places are before labels");
        };
        let (cost, index) = (lay.cost_at[before], lay.index_at[before]);
        let mut pos = Pos {
            cost: cost + shift.cost,
            index: index + shift.insns,
        };
        let inserted = over.map(Item::Ja).into_iter().chain(
            tramps
                .into_iter()
                .flat_map(|(l, insn)| [Item::Label(l), insn]),
        );
        for it in inserted {
            pos.push::<A>(it, &mut out, &mut lay, &mut next);
            match it {
                Item::Label(_) => shift.items += 1,
                _ => {
                    shift.cost += item_cost::<A>(&it);
                    shift.insns += 1;
                    shift.items += 1;
                }
            }
        }
        // The label after the trampolines follows one of them now: its
        // place is noted anew, not moved.
        let skipped = old.natural.next_if(|p| p.after == after);
        debug_assert!(skipped.is_some(), "a trampoline's place is natural");
        pos.note_only::<A>(items[after + 1], &out, &mut next);
        from = after + 1;
    }
    shift.block::<A>(
        &items[from..],
        from,
        &mut out,
        &mut lay,
        &mut next,
        &mut old,
    );
    lay.len += shift.insns;
    lay.cost += shift.cost;
    (out, lay, next)
}

/// Checks (in tests) that [`with_trampolines`] laid `items` out and
/// found their places as doing it all again does.
#[cfg(test)]
fn same_as_laid_out_again<A: Isa>(
    items: &[Item<A::Insn>],
    lay: &Layout,
    next: &Places,
    labels: Label,
) {
    let (again, _) = layout::<A>(items);
    let places = Places::of::<A>(items, labels);
    assert_eq!((lay.len, lay.cost), (again.len, again.cost));
    for it in items {
        if let Item::Label(l) = *it {
            assert_eq!(
                (lay.cost_at[l], lay.index_at[l], next.item_at[l]),
                (again.cost_at[l], again.index_at[l], places.item_at[l]),
                "label {l}"
            );
        }
    }
    assert_eq!(next.natural, places.natural);
    assert_eq!(next.forced, places.forced);
}

/// The places of a round's items not yet moved into the next round's.
struct OldPlaces {
    natural: std::iter::Peekable<std::vec::IntoIter<Place>>,
    forced: std::iter::Peekable<std::vec::IntoIter<Place>>,
}

/// How much was inserted before the items being moved: their cost,
/// instructions and items.
#[derive(Default)]
struct Shift {
    cost: usize,
    insns: usize,
    items: usize,
}

impl Shift {
    /// Moves `block`, the items from index `from`, to the end of `out`:
    /// its labels' positions shift by what was inserted before it, and
    /// so do the places before them but the first's (the label at
    /// `from`, which [`with_trampolines`] notes itself after an
    /// insertion).
    fn block<A: Isa>(
        &self,
        block: &[Item<A::Insn>],
        from: usize,
        out: &mut Vec<Item<A::Insn>>,
        lay: &mut Layout,
        next: &mut Places,
        old: &mut OldPlaces,
    ) {
        for it in block {
            if let Item::Label(l) = *it {
                lay.cost_at[l] += self.cost;
                lay.index_at[l] += self.insns;
                next.item_at[l] += self.items;
            }
        }
        let moved = |p: Place| Place {
            at: p.at + self.cost,
            after: p.after + self.items,
            forced: p.forced,
        };
        // A place after item `p.after` is before the label at `p.after + 1`.
        let to = from + block.len();
        while let Some(p) = old.natural.next_if(|p| p.after + 1 < to) {
            if p.after >= from {
                next.natural.push(moved(p));
            }
        }
        while let Some(p) = old.forced.next_if(|p| p.after + 1 < to) {
            if p.after >= from {
                next.forced.push(moved(p));
            }
        }
        out.extend_from_slice(block);
    }
}

/// Where the next inserted item goes: its cost position and instruction
/// index.
struct Pos {
    cost: usize,
    index: usize,
}

impl Pos {
    /// Appends an inserted item: laid out and noted.
    fn push<A: Isa>(
        &mut self,
        it: Item<A::Insn>,
        out: &mut Vec<Item<A::Insn>>,
        lay: &mut Layout,
        next: &mut Places,
    ) {
        next.note::<A>(out.last(), &it, out.len(), self.cost);
        match it {
            Item::Label(l) => {
                lay.cost_at[l] = self.cost;
                lay.index_at[l] = self.index;
            }
            _ => {
                self.cost += item_cost::<A>(&it);
                self.index += 1;
            }
        }
        out.push(it);
    }

    /// Notes the place before `label`, the item about to be moved to the
    /// end of `out` (with the block it starts).
    fn note_only<A: Isa>(&self, label: Item<A::Insn>, out: &[Item<A::Insn>], next: &mut Places) {
        if let Item::Label(l) = label {
            next.place_before::<A>(out.last(), l, out.len(), self.cost);
        }
    }
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
        let (uses, item_at) = ([1, 0, 1], [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 2, 6]);
        let (kept, lay) =
            without_dead_trampolines::<Toy>(items, 10, Layout::new(0), uses.to_vec(), &item_at);
        let labels: Vec<Label> = kept
            .iter()
            .filter_map(|it| match it {
                Item::Label(l) => Some(*l),
                _ => None,
            })
            .collect();
        assert_eq!(labels, [10, 1]);
        assert_eq!(kept.len(), 6);
        // Laid out as what is kept.
        assert_eq!((lay.len, lay.cost), (4, 4));
        assert_eq!((lay.index_at[10], lay.index_at[1]), (2, 3));
    }

    /// Random programs of forward jumps over loads and returns: every
    /// round of trampolines is laid out and placed in blocks as laying it
    /// all out again does (checked inside [`resolve`] in tests), and the
    /// code still runs to a return within every jump's reach.
    #[test]
    fn trampolines_moved_in_blocks_are_laid_out_as_again() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut rnd = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut rounds = 0;
        for _ in 0..300 {
            let blocks = 5 + rnd(60);
            let mut items = Vec::new();
            for b in 0..blocks {
                // Some loads, then a test, a return or a jump; labels
                // after `b` to jump to.
                items.push(Item::Label(b));
                for _ in 0..rnd(3) {
                    items.push(Item::Plain(T::Load));
                }
                let kind = rnd(5);
                let mut to = || b + 1 + rnd(blocks - b);
                let end = match kind {
                    0 => Item::Plain(T::Ret),
                    1 => Item::Ja(to()),
                    2 => Item::Cond {
                        insn: T::If(0),
                        t: to(),
                        f: None,
                    },
                    _ => Item::Cond {
                        insn: T::If(0),
                        t: to(),
                        f: Some(to()),
                    },
                };
                items.push(end);
            }
            items.extend([Item::Label(blocks), Item::Plain(T::Ret)]);
            // (Some have no place within reach for a trampoline, and
            // the rounds go on until the program is too long.)
            let Ok(code) = resolve::<Toy>(items.clone(), 600) else {
                continue;
            };
            let labels = layout::<Toy>(&items).1;
            rounds += usize::from(code.len() > items.len() - labels);
            for taken in [true, false] {
                assert_eq!(code[run(&code, 0, taken)], T::Ret);
            }
        }
        assert!(rounds > 20, "only {rounds} programs needed trampolines");
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
