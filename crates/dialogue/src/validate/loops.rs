//! Finds cycles the visitor cannot stop: a goto that leads back to itself through
//! messages, branches and other gotos alone would spin forever.

use crate::cards::{Card, InfoCapture};
use crate::check::Checker;
use crate::dialogue::Dialogue;
use crate::path::{CardPath, List};
use std::collections::{BTreeMap, HashMap};

/// Cards that can be passed without the visitor doing anything, and where they lead.
fn silent_next(stream: &[Card], ids: &BTreeMap<String, CardPath>, path: &CardPath) -> Vec<CardPath> {
    let Some(card) = path.card(stream) else {
        return Vec::new();
    };
    let after = |p: &CardPath| p.next(stream).into_iter().collect::<Vec<_>>();
    match card {
        Card::Message(_) => after(path),
        Card::Goto(goto) => ids.get(&goto.to).cloned().into_iter().collect(),
        Card::Branch(branch) => [(List::Then, &branch.then), (List::Else, &branch.otherwise)]
            .into_iter()
            .flat_map(|(list, cards)| match cards.is_empty() {
                true => after(path),
                false => vec![path.child(list)],
            })
            .collect(),
        // Skipped without input once every field is known.
        Card::InfoCapture(InfoCapture { fields, .. }) if fields.iter().all(|f| f.skip_if_known) => {
            after(path)
        }
        _ => Vec::new(),
    }
}

pub(super) fn check(dialogue: &Dialogue, ids: &BTreeMap<String, CardPath>, c: &mut Checker) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Visiting,
        Done,
    }
    let stream = &dialogue.stream;
    let mut marks: HashMap<CardPath, Mark> = HashMap::new();
    let mut reported = Vec::new();
    // Iterative depth-first search from every card; a back edge closes a cycle.
    let mut starts = Vec::new();
    crate::path::walk(stream, |path, _| starts.push(path.clone()));
    for start in starts {
        if marks.contains_key(&start) {
            continue;
        }
        let mut stack: Vec<(CardPath, Vec<CardPath>)> =
            vec![(start.clone(), silent_next(stream, ids, &start))];
        marks.insert(start, Mark::Visiting);
        while let Some((node, pending)) = stack.last_mut() {
            let Some(next) = pending.pop() else {
                marks.insert(node.clone(), Mark::Done);
                stack.pop();
                continue;
            };
            match marks.get(&next) {
                Some(Mark::Visiting) => {
                    let from = stack.iter().position(|(p, _)| *p == next).unwrap_or(0);
                    let cycle: Vec<&CardPath> = stack[from..].iter().map(|(p, _)| p).collect();
                    let goto = cycle
                        .iter()
                        .find(|p| matches!(p.card(stream), Some(Card::Goto(_))))
                        .copied()
                        .unwrap_or(cycle[0]);
                    if !reported.contains(goto) {
                        reported.push(goto.clone());
                        let route: Vec<String> = cycle.iter().map(|p| p.to_string()).collect();
                        c.problem(
                            goto,
                            format!(
                                "this loop repeats forever without any visitor input ({} → {next}); put a question in it",
                                route.join(" → ")
                            ),
                        );
                    }
                }
                Some(Mark::Done) => {}
                None => {
                    let successors = silent_next(stream, ids, &next);
                    marks.insert(next.clone(), Mark::Visiting);
                    stack.push((next, successors));
                }
            }
        }
    }
}
