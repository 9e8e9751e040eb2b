//! Text measuring and wrapping with the real fonts. A text becomes grapheme clusters, each given
//! the first face of a fallback chain that has all its characters (emoji go to the emoji font),
//! clusters no face can draw are dropped (no tofu boxes). Lines are filled word by word, a word
//! wider than the line breaks between clusters, and text past the last allowed line ends the last
//! one with an ellipsis. Each line is a list of runs, one per face, measured by shaping them with
//! the same shaper usvg uses; the SVG places every run at its measured offset.

use unicode_segmentation::UnicodeSegmentation as _;

use crate::fonts::{Face, Fonts};

const ELLIPSIS: &str = "…";

/// How a text is set: its faces (first choice, then fallbacks) and size.
#[derive(Debug, Clone, PartialEq)]
pub struct TextStyle {
    /// The face tried first.
    pub face: Face,
    /// Size in px.
    pub size: f32,
}

impl TextStyle {
    /// The faces tried in order for a non-emoji cluster.
    fn chain(&self) -> [Face; 3] {
        let sans = match self.face {
            Face::InterRegular | Face::DejaVuSans | Face::Emoji => Face::InterRegular,
            Face::InterMedium => Face::InterMedium,
            Face::InterBold | Face::LoraSemiBold => Face::InterBold,
        };
        [self.face, sans, Face::DejaVuSans]
    }
}

/// A stretch of a line set in one face.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub face: Face,
    pub text: String,
    /// Offset from the line's start, px.
    pub x: f32,
    pub width: f32,
}

/// One laid-out line.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    pub runs: Vec<Run>,
    pub width: f32,
}

impl Line {
    /// The line's text.
    #[must_use]
    pub fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }
}

/// The lines of a wrapped text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Wrapped {
    pub lines: Vec<Line>,
    /// Whether text was cut (the last line ends with an ellipsis).
    pub truncated: bool,
    /// Whether a word wider than a line had to be broken between its letters.
    pub broken: bool,
}

/// A grapheme cluster with the face that draws it.
#[derive(Debug, Clone, Copy)]
struct Piece<'a> {
    text: &'a str,
    face: Face,
}

impl Piece<'_> {
    fn is_space(&self) -> bool {
        self.text == " "
    }
}

/// Whitespace collapsed to single spaces, control characters removed, trimmed.
#[must_use]
pub fn clean(text: &str) -> String {
    text.split_whitespace()
        .map(|w| w.chars().filter(|c| !c.is_control()).collect::<String>())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a cluster asks for emoji presentation: it is a sequence (variation selector 16, a ZWJ,
/// a skin tone, a keycap, a flag) or its first character is an emoji by default.
fn wants_emoji(cluster: &str) -> bool {
    let mut chars = cluster.chars();
    let Some(first) = chars.next() else { return false };
    let sequence = cluster.chars().any(|c| {
        matches!(c, '\u{FE0F}' | '\u{200D}' | '\u{20E3}' | '\u{1F3FB}'..='\u{1F3FF}' | '\u{E0020}'..='\u{E007F}')
    });
    sequence || matches!(first, '\u{1F000}'..='\u{1FAFF}' | '\u{2600}'..='\u{27BF}' | '\u{2B00}'..='\u{2BFF}')
}

/// Characters a face need not have for the cluster to be drawn (the shaper hides them).
fn ignorable(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{FE00}'..='\u{FE0F}' | '\u{2060}'..='\u{2064}' | '\u{E0000}'..='\u{E0FFF}')
}

fn pieces<'a>(fonts: &Fonts, style: &TextStyle, text: &'a str) -> Vec<Piece<'a>> {
    text.graphemes(true)
        .filter_map(|cluster| {
            if cluster == " " {
                return Some(Piece { text: cluster, face: style.face });
            }
            let covered = |face: Face| cluster.chars().all(|c| ignorable(c) || fonts.covers(face, c));
            let emoji = || {
                cluster
                    .chars()
                    .next()
                    .filter(|c| fonts.covers(Face::Emoji, *c))
                    .map(|_| Piece { text: cluster, face: Face::Emoji })
            };
            if wants_emoji(cluster)
                && let Some(piece) = emoji()
            {
                return Some(piece);
            }
            style
                .chain()
                .into_iter()
                .find(|face| covered(*face))
                .map(|face| Piece { text: cluster, face })
                .or_else(|| covered(Face::Emoji).then_some(Piece { text: cluster, face: Face::Emoji }))
        })
        .collect()
}

/// Lays `pieces` out as one line: consecutive pieces of one face form a run.
fn line_of(fonts: &Fonts, size: f32, pieces: &[Piece<'_>]) -> Line {
    let mut runs: Vec<Run> = Vec::new();
    for piece in pieces {
        match runs.last_mut() {
            Some(run) if run.face == piece.face => run.text.push_str(piece.text),
            _ => runs.push(Run { face: piece.face, text: piece.text.to_owned(), x: 0.0, width: 0.0 }),
        }
    }
    let mut x = 0.0;
    for run in &mut runs {
        run.x = x;
        run.width = fonts.advance(run.face, size, &run.text);
        x += run.width;
    }
    Line { runs, width: x }
}

fn width(fonts: &Fonts, size: f32, pieces: &[Piece<'_>]) -> f32 {
    line_of(fonts, size, pieces).width
}

fn trim_spaces(pieces: &mut Vec<Piece<'_>>) {
    while pieces.last().is_some_and(Piece::is_space) {
        pieces.pop();
    }
    while pieces.first().is_some_and(Piece::is_space) {
        pieces.remove(0);
    }
}

/// Wraps `text` (cleaned first) into at most `max_lines` lines no wider than `max_width`.
#[must_use]
pub fn wrap(fonts: &Fonts, style: &TextStyle, text: &str, max_width: f32, max_lines: usize) -> Wrapped {
    if max_lines == 0 {
        return Wrapped::default();
    }
    let text = clean(text);
    let all = pieces(fonts, style, &text);
    let words: Vec<&[Piece<'_>]> = all.split(Piece::is_space).filter(|w| !w.is_empty()).collect();
    let space = Piece { text: " ", face: style.face };
    let mut lines: Vec<Vec<Piece<'_>>> = Vec::new();
    let mut current: Vec<Piece<'_>> = Vec::new();
    let mut overflow = false;
    let mut broken = false;
    'words: for word in &words {
        let mut candidate = current.clone();
        if !candidate.is_empty() {
            candidate.push(space);
        }
        candidate.extend_from_slice(word);
        if width(fonts, style.size, &candidate) <= max_width {
            current = candidate;
            continue;
        }
        if width(fonts, style.size, word) <= max_width {
            lines.push(std::mem::take(&mut current));
            current = word.to_vec();
        } else {
            // Longer than a whole line: break between clusters, starting on the current line.
            broken = true;
            if !current.is_empty() {
                current.push(space);
            }
            for piece in *word {
                current.push(*piece);
                let drawn = current.iter().filter(|p| !p.is_space()).count();
                if drawn > 1 && width(fonts, style.size, &current) > max_width {
                    current.pop();
                    trim_spaces(&mut current);
                    lines.push(std::mem::take(&mut current));
                    current.push(*piece);
                    if lines.len() >= max_lines {
                        overflow = true;
                        break 'words;
                    }
                }
            }
        }
        if lines.len() >= max_lines {
            overflow = true;
            break;
        }
    }
    if !overflow && !current.is_empty() {
        lines.push(current);
    }
    let truncated = lines.len() > max_lines || overflow;
    lines.truncate(max_lines);
    if truncated && let Some(last) = lines.last_mut() {
        ellipsize(fonts, style, last, max_width);
    }
    Wrapped { lines: lines.iter().map(|l| line_of(fonts, style.size, l)).collect(), truncated, broken }
}

/// Ends `line` with an ellipsis that fits: after the last whole word when that keeps most of the
/// line, otherwise after as many clusters as fit.
fn ellipsize<'a>(fonts: &Fonts, style: &TextStyle, line: &mut Vec<Piece<'a>>, max_width: f32) {
    let face = style.chain().into_iter().find(|f| fonts.covers(*f, '…')).unwrap_or(style.face);
    let ellipsis = Piece { text: ELLIPSIS, face };
    let fits = |pieces: &[Piece<'_>]| {
        let mut with = pieces.to_vec();
        with.push(ellipsis);
        width(fonts, style.size, &with) <= max_width
    };
    let full = line.len();
    // Prefer a word boundary when one leaves at least 60% of the line.
    if let Some(space) = line.iter().rposition(Piece::is_space)
        && space * 5 >= full * 3
    {
        let mut cut = line[..space].to_vec();
        trim_spaces(&mut cut);
        trim_dangling(&mut cut);
        if fits(&cut) {
            *line = cut;
            line.push(ellipsis);
            return;
        }
    }
    while !line.is_empty() && !fits(line) {
        line.pop();
    }
    trim_spaces(line);
    trim_dangling(line);
    line.push(ellipsis);
}

/// Drops separators left at the end of a cut line ("Coach ·…" reads as "Coach…").
fn trim_dangling(line: &mut Vec<Piece<'_>>) {
    while line.last().is_some_and(|p| {
        p.is_space() || matches!(p.text, "·" | "-" | "–" | "—" | "|" | "," | ":" | ";" | "/" | "•")
    }) {
        line.pop();
    }
}

/// Like [`wrap`], but when the text takes several lines, they are made as even as they can be
/// without adding a line (CSS `text-wrap: balance`): a two-line title reads as two halves rather
/// than a full line and an orphan.
#[must_use]
pub fn wrap_balanced(
    fonts: &Fonts,
    style: &TextStyle,
    text: &str,
    max_width: f32,
    max_lines: usize,
) -> Wrapped {
    let greedy = wrap(fonts, style, text, max_width, max_lines);
    if greedy.lines.len() < 2 || greedy.truncated || greedy.broken {
        return greedy;
    }
    let (mut lo, mut hi) = (max_width / greedy.lines.len() as f32, max_width);
    let mut best = greedy.clone();
    for _ in 0..10 {
        let mid = (lo + hi) / 2.0;
        let tried = wrap(fonts, style, text, mid, max_lines);
        if tried.lines.len() == greedy.lines.len() && !tried.truncated && !tried.broken {
            hi = mid;
            best = tried;
        } else {
            lo = mid;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::load().expect("the shipped fonts load")
    }

    #[test]
    fn cleaning_collapses_whitespace_and_drops_controls() {
        assert_eq!(clean("  Hola\n\n mundo\t\u{7}!  "), "Hola mundo !");
    }

    #[test]
    fn accents_stay_in_the_main_face_and_emoji_go_to_the_emoji_face() {
        let fonts = fonts();
        let style = TextStyle { face: Face::InterRegular, size: 30.0 };
        let wrapped = wrap(&fonts, &style, "Coach de ñandúes 🙂 y café ☕️ 👩🏽‍💻 🇦🇷", 2000.0, 1);
        let line = &wrapped.lines[0];
        let emoji: Vec<&str> =
            line.runs.iter().filter(|r| r.face == Face::Emoji).map(|r| r.text.trim()).collect();
        assert_eq!(emoji, ["🙂", "☕️", "👩🏽‍💻", "🇦🇷"], "{line:?}");
        assert_eq!(line.runs[0].face, Face::InterRegular);
        assert!(line.runs[0].text.starts_with("Coach de ñandúes"));
        assert!(!wrapped.truncated);
    }

    #[test]
    fn lines_fit_and_overflow_ends_with_an_ellipsis() {
        let fonts = fonts();
        let style = TextStyle { face: Face::InterRegular, size: 30.0 };
        let text = "palabra ".repeat(60);
        let wrapped = wrap(&fonts, &style, &text, 500.0, 3);
        assert_eq!(wrapped.lines.len(), 3);
        assert!(wrapped.truncated);
        assert!(wrapped.lines.iter().all(|l| l.width <= 500.0), "{wrapped:?}");
        assert!(wrapped.lines[2].text().ends_with("palabra…"), "{:?}", wrapped.lines[2].text());
    }

    #[test]
    fn an_unbroken_word_breaks_between_clusters() {
        let fonts = fonts();
        let style = TextStyle { face: Face::InterBold, size: 60.0 };
        let wrapped = wrap(&fonts, &style, &"A".repeat(200), 800.0, 2);
        assert_eq!(wrapped.lines.len(), 2);
        assert!(wrapped.truncated);
        assert!(wrapped.lines.iter().all(|l| l.width <= 800.0 && l.width > 600.0), "{wrapped:?}");
    }

    #[test]
    fn balanced_lines_are_even_and_cut_lines_drop_dangling_separators() {
        let fonts = fonts();
        let style = TextStyle { face: Face::InterBold, size: 60.0 };
        let text = "Lucía Peña · Coach de carrera";
        let greedy = wrap(&fonts, &style, text, 800.0, 2);
        let balanced = wrap_balanced(&fonts, &style, text, 800.0, 2);
        assert_eq!(balanced.lines.len(), 2);
        let spread = |w: &Wrapped| (w.lines[0].width - w.lines[1].width).abs();
        assert!(spread(&balanced) < spread(&greedy), "{balanced:?}");
        let style = TextStyle { face: Face::InterRegular, size: 30.0 };
        let cut = wrap(&fonts, &style, "Psicóloga · Terapeuta · Docente · Autora · Oradora", 330.0, 1);
        assert!(!cut.lines[0].text().contains("·…"), "{:?}", cut.lines[0].text());
    }

    #[test]
    fn text_no_face_can_draw_is_dropped() {
        let fonts = fonts();
        let style = TextStyle { face: Face::InterRegular, size: 30.0 };
        // None of the shipped fonts has CJK ideographs.
        let wrapped = wrap(&fonts, &style, "a李b", 1000.0, 1);
        assert_eq!(wrapped.lines[0].text(), "ab");
        assert!(wrap(&fonts, &style, "", 1000.0, 1).lines.is_empty());
    }
}
