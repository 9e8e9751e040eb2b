//! Reordering blocks: a move in the list, and the `afterBlockId` writes that bring the server's
//! order to the list's. The server keeps sparse positions; the editor only ever says "put this
//! block after that one" (`None`: first).

/// `ids` with the item at `from` moved to `to` (both clamped to the list); `None` if nothing moves.
#[must_use]
pub fn moved(ids: &[String], from: usize, to: usize) -> Option<Vec<String>> {
    if from >= ids.len() {
        return None;
    }
    let to = to.min(ids.len() - 1);
    if from == to {
        return None;
    }
    let mut out = ids.to_vec();
    let item = out.remove(from);
    out.insert(to, item);
    Some(out)
}

/// The writes that turn `server` into `wanted` (both the same ids), as `(block, after)` pairs to
/// apply in order; each moves one block right after another (`None`: first). A single move
/// gives a single write.
#[must_use]
pub fn plan(server: &[String], wanted: &[String]) -> Vec<(String, Option<String>)> {
    let mut current: Vec<String> = server.iter().filter(|id| wanted.contains(id)).cloned().collect();
    let wanted: Vec<&String> = wanted.iter().filter(|id| current.contains(id)).collect();
    // Keep the longest run of blocks already in the wanted relative order; move the others.
    let rank = |id: &String| wanted.iter().position(|w| *w == id).unwrap_or_default();
    let ranks: Vec<usize> = current.iter().map(rank).collect();
    let keep = longest_increasing(&ranks);
    let mut writes = Vec::new();
    for (index, id) in wanted.iter().enumerate() {
        if keep.contains(&rank(id)) {
            continue;
        }
        let after = index.checked_sub(1).map(|i| wanted[i].clone());
        current.retain(|c| c != *id);
        let at = after.as_ref().and_then(|a| current.iter().position(|c| c == a)).map_or(0, |i| i + 1);
        current.insert(at, (*id).clone());
        writes.push(((*id).clone(), after));
    }
    debug_assert!(current.iter().eq(wanted.iter().copied()));
    writes
}

/// The values of a longest strictly increasing subsequence of `values` (distinct numbers).
fn longest_increasing(values: &[usize]) -> Vec<usize> {
    // O(n²) is plenty for at most 100 blocks.
    let n = values.len();
    let mut length = vec![1_usize; n];
    let mut previous = vec![None; n];
    for i in 0..n {
        for j in 0..i {
            if values[j] < values[i] && length[j] + 1 > length[i] {
                length[i] = length[j] + 1;
                previous[i] = Some(j);
            }
        }
    }
    let Some(mut at) = (0..n).max_by_key(|&i| (length[i], std::cmp::Reverse(i))) else { return Vec::new() };
    let mut out = vec![values[at]];
    while let Some(p) = previous[at] {
        out.push(values[p]);
        at = p;
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(s: &str) -> Vec<String> {
        s.chars().map(String::from).collect()
    }

    fn apply(server: &[String], writes: &[(String, Option<String>)]) -> Vec<String> {
        let mut out = server.to_vec();
        for (id, after) in writes {
            out.retain(|c| c != id);
            let at = after.as_ref().and_then(|a| out.iter().position(|c| c == a)).map_or(0, |i| i + 1);
            out.insert(at, id.clone());
        }
        out
    }

    #[test]
    fn moves_clamp_and_skip_no_ops() {
        assert_eq!(moved(&ids("abcd"), 3, 2), Some(ids("abdc")));
        assert_eq!(moved(&ids("abcd"), 0, 9), Some(ids("bcda")));
        assert_eq!(moved(&ids("abcd"), 1, 1), None);
        assert_eq!(moved(&ids("abcd"), 4, 0), None);
        assert_eq!(moved(&[], 0, 0), None);
    }

    #[test]
    fn one_move_is_one_write() {
        let server = ids("abcde");
        // A swap of neighbours is one write either way round.
        let swap = plan(&server, &ids("abdce"));
        assert_eq!(swap.len(), 1);
        assert_eq!(apply(&server, &swap), ids("abdce"));
        assert_eq!(plan(&server, &ids("eabcd")), vec![("e".into(), None)]);
        assert_eq!(plan(&server, &ids("bcdea")), vec![("a".into(), Some("e".into()))]);
        assert!(plan(&server, &server).is_empty());
    }

    #[test]
    fn any_reordering_is_reached() {
        let server = ids("abcdefg");
        for wanted in ["gfedcba", "badcfeg", "cgabdef", "aebfcgd"] {
            let wanted = ids(wanted);
            let writes = plan(&server, &wanted);
            assert_eq!(apply(&server, &writes), wanted);
            assert!(writes.len() < server.len());
        }
        // Blocks only on one side (deleted meanwhile, just added) are left alone.
        let writes = plan(&ids("abcx"), &ids("cbay"));
        assert_eq!(apply(&ids("abc"), &writes), ids("cba"));
    }
}
