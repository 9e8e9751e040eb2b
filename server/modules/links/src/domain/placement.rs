//! Sparse block positions (10, 20, 30…): a block placed between two neighbours takes the midpoint,
//! so a move writes one row; only when no gap is left is the page renumbered.

use crate::domain::page::BlockId;

/// The gap between renumbered positions.
pub const STEP: i32 = 10;
/// Highest position a client may ask for.
pub const MAX_POSITION: i32 = 1_000_000_000;

/// Where a block should go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// After every other block.
    Last,
    /// Before every other block.
    First,
    /// Right after this block.
    After(BlockId),
    /// At this position; when it is taken, right before the block holding it.
    At(i32),
}

/// The outcome: the block's position, and the other blocks' new positions when the page had to
/// be renumbered (every block in order, the placed one excluded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    pub position: i32,
    pub renumbered: Vec<(BlockId, i32)>,
}

/// Why a placement is impossible.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlacementError {
    /// `After` names a block that is not on the page.
    UnknownNeighbour,
    /// `At` is outside `1..=MAX_POSITION`.
    OutOfRange,
}

/// Places a block among `others` (the page's other blocks, sorted by position).
///
/// # Errors
/// [`PlacementError`].
pub fn place(others: &[(BlockId, i32)], target: Placement) -> Result<Placed, PlacementError> {
    let index = match target {
        Placement::Last => others.len(),
        Placement::First => 0,
        Placement::After(id) => {
            others.iter().position(|(other, _)| *other == id).ok_or(PlacementError::UnknownNeighbour)? + 1
        }
        Placement::At(position) => {
            if !(1..=MAX_POSITION).contains(&position) {
                return Err(PlacementError::OutOfRange);
            }
            match others.iter().position(|(_, p)| *p >= position) {
                Some(i) if others[i].1 == position => i,
                _ => return Ok(Placed { position, renumbered: Vec::new() }),
            }
        }
    };
    let low = if index == 0 { 0 } else { others[index - 1].1 };
    let high = others.get(index).map(|(_, p)| *p);
    let free = match high {
        None if low <= MAX_POSITION - STEP => Some(low + STEP),
        Some(high) if high - low >= 2 => Some(low + (high - low) / 2),
        _ => None,
    };
    if let Some(position) = free {
        return Ok(Placed { position, renumbered: Vec::new() });
    }
    // No gap: renumber everything 10, 20, 30… with the placed block in its slot.
    let slot = |i: usize| STEP * i32::try_from(i + 1).unwrap_or(i32::MAX / STEP);
    let renumbered = others
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, if i < index { slot(i) } else { slot(i + 1) }))
        .collect();
    Ok(Placed { position: slot(index), renumbered })
}

#[cfg(test)]
mod tests {
    use pretty_assertions::assert_eq;

    use super::*;

    fn page(positions: &[i32]) -> Vec<(BlockId, i32)> {
        positions.iter().map(|p| (BlockId::new(), *p)).collect()
    }

    #[test]
    fn appends_and_prepends_in_gaps() {
        assert_eq!(place(&[], Placement::Last).unwrap(), Placed { position: 10, renumbered: vec![] });
        assert_eq!(place(&[], Placement::First).unwrap().position, 10);
        let blocks = page(&[10, 20, 30]);
        assert_eq!(place(&blocks, Placement::Last).unwrap().position, 40);
        assert_eq!(place(&blocks, Placement::First).unwrap().position, 5);
    }

    #[test]
    fn takes_the_midpoint_between_neighbours() {
        let blocks = page(&[10, 20, 30]);
        assert_eq!(place(&blocks, Placement::After(blocks[0].0)).unwrap().position, 15);
        assert_eq!(place(&blocks, Placement::After(blocks[2].0)).unwrap().position, 40);
        assert_eq!(place(&blocks, Placement::At(25)).unwrap().position, 25);
        assert_eq!(
            place(&blocks, Placement::At(20)).unwrap().position,
            15,
            "a taken position inserts before"
        );
        assert_eq!(place(&blocks, Placement::After(BlockId::new())), Err(PlacementError::UnknownNeighbour));
        assert_eq!(place(&blocks, Placement::At(0)), Err(PlacementError::OutOfRange));
    }

    #[test]
    fn renumbers_only_when_no_gap_is_left() {
        let blocks = page(&[10, 11, 12]);
        let placed = place(&blocks, Placement::After(blocks[0].0)).unwrap();
        assert_eq!(placed.position, 20);
        assert_eq!(
            placed.renumbered,
            vec![(blocks[0].0, 10), (blocks[1].0, 30), (blocks[2].0, 40)],
            "the rest keep their order around the new slot"
        );
        let first = page(&[1, 2]);
        let placed = place(&first, Placement::First).unwrap();
        assert_eq!(placed.position, 10);
        assert_eq!(placed.renumbered.iter().map(|r| r.1).collect::<Vec<_>>(), vec![20, 30]);
    }

    #[test]
    fn repeated_inserts_at_the_same_spot_stay_ordered() {
        // Insert 40 times right after the first block: each lands first among the newcomers.
        let mut blocks = page(&[10, 20]);
        let anchor = blocks[0].0;
        for _ in 0..40 {
            let placed = place(&blocks, Placement::After(anchor)).unwrap();
            for (id, p) in &placed.renumbered {
                blocks.iter_mut().find(|(b, _)| b == id).unwrap().1 = *p;
            }
            blocks.push((BlockId::new(), placed.position));
            blocks.sort_by_key(|(_, p)| *p);
            let positions: Vec<i32> = blocks.iter().map(|(_, p)| *p).collect();
            assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
            assert_eq!(blocks[0].0, anchor);
        }
    }
}
