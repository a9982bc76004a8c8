//! Addresses of cards inside a stream, such as `stream[2].answers[1].then[0]`.
//! The engine keeps its position as a [`CardPath`]; the validator reports with it.

use crate::cards::Card;
pub use crate::cards::List;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Seg {
    pub list: List,
    pub index: usize,
}

/// The address of one card: each step picks a list of the previous card, then an index.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct CardPath(pub Vec<Seg>);

impl CardPath {
    pub fn root(index: usize) -> Self {
        CardPath(vec![Seg {
            list: List::Stream,
            index,
        }])
    }

    /// The first card of one of this card's lists.
    pub fn child(&self, list: List) -> Self {
        let mut segs = self.0.clone();
        segs.push(Seg { list, index: 0 });
        CardPath(segs)
    }

    /// The card at this path, if the path fits the stream.
    pub fn card<'a>(&self, stream: &'a [Card]) -> Option<&'a Card> {
        let (last, parents) = self.0.split_last()?;
        list_at(stream, parents, last.list)?.get(last.index)
    }

    /// The card shown after this one when it does not jump: the next card in the
    /// same list or, at a list's end, the card after the question or branch that
    /// opened it. `None` at the end of the stream.
    pub fn next(&self, stream: &[Card]) -> Option<CardPath> {
        let mut segs = self.0.clone();
        while let Some(last) = segs.pop() {
            let list = list_at(stream, &segs, last.list)?;
            if last.index + 1 < list.len() {
                segs.push(Seg {
                    index: last.index + 1,
                    ..last
                });
                return Some(CardPath(segs));
            }
        }
        None
    }

    /// Whether this is the last card of its list (no sibling follows).
    pub fn is_last_in_list(&self, stream: &[Card]) -> bool {
        let Some((last, parents)) = self.0.split_last() else {
            return false;
        };
        list_at(stream, parents, last.list).is_some_and(|l| last.index + 1 == l.len())
    }
}

/// The list `list` of the card at `parents` (or the stream itself at the top).
fn list_at<'a>(stream: &'a [Card], parents: &[Seg], list: List) -> Option<&'a [Card]> {
    if parents.is_empty() {
        return (list == List::Stream).then_some(stream);
    }
    CardPath(parents.to_vec()).card(stream)?.list(list)
}

/// Calls `visit` for every card, parents before children, in reading order.
pub fn walk<'a>(stream: &'a [Card], mut visit: impl FnMut(&CardPath, &'a Card)) {
    fn go<'a>(cards: &'a [Card], base: CardPath, visit: &mut impl FnMut(&CardPath, &'a Card)) {
        for (index, card) in cards.iter().enumerate() {
            let mut path = base.clone();
            if let Some(last) = path.0.last_mut() {
                last.index = index;
            }
            visit(&path, card);
            for (list, children) in card.lists() {
                go(children, path.child(list), visit);
            }
        }
    }
    go(stream, CardPath::root(0), &mut visit);
}

impl fmt::Display for CardPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for seg in &self.0 {
            match seg.list {
                List::Stream => write!(f, "stream")?,
                List::Answer(a) => write!(f, ".answers[{a}].then")?,
                List::FreeText => write!(f, ".free_text.then")?,
                List::Then => write!(f, ".then")?,
                List::Else => write!(f, ".else")?,
            }
            write!(f, "[{}]", seg.index)?;
        }
        Ok(())
    }
}
