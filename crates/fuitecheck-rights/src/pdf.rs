//! PDF export: A4 pages, the letter in DejaVu Serif, embedded.
//!
//! The font is embedded whole as a CID TrueType font with Identity-H
//! encoding (glyph ids as character codes), a `W` array with the advance
//! of every glyph used, and a `ToUnicode` map so that text can be copied
//! and searched. Streams are deflate-compressed. Lines are wrapped with the
//! font's own advance widths; words longer than a line (URLs) are broken.

use std::collections::BTreeMap;

use miniz_oxide::deflate::compress_to_vec_zlib;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish as _, Name, Pdf, Rect, Ref, Str, TextStr};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, GlyphId, MetadataProvider as _};

/// The embedded font (DejaVu Serif, Bitstream Vera licence with DejaVu
/// changes in the public domain; see `assets/fonts/DejaVu-LICENSE.txt`).
pub const FONT: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSerif.ttf");

const PAGE_W: f32 = 595.0;
const PAGE_H: f32 = 842.0;
const MARGIN_X: f32 = 68.0;
const MARGIN_TOP: f32 = 64.0;
const MARGIN_BOTTOM: f32 = 64.0;
const SIZE: f32 = 10.5;
const LEADING: f32 = 14.5;

struct Face<'a> {
    font: FontRef<'a>,
    units_per_em: f32,
    /// Glyph id → (advance in font units, first char that maps to it).
    used: BTreeMap<u16, (f32, char)>,
}

impl<'a> Face<'a> {
    fn new(data: &'a [u8]) -> Option<Self> {
        let font = FontRef::new(data).ok()?;
        let units_per_em = f32::from(
            font.metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        );
        Some(Self {
            font,
            units_per_em,
            used: BTreeMap::new(),
        })
    }

    fn glyph(&self, c: char) -> GlyphId {
        let charmap = self.font.charmap();
        charmap
            .map(c)
            .or_else(|| charmap.map('?'))
            .unwrap_or(GlyphId::NOTDEF)
    }

    fn advance(&self, gid: GlyphId) -> f32 {
        self.font
            .glyph_metrics(Size::unscaled(), LocationRef::default())
            .advance_width(gid)
            .unwrap_or(0.0)
    }

    /// Width of `s` in points at [`SIZE`].
    fn width(&self, s: &str) -> f32 {
        s.chars().map(|c| self.advance(self.glyph(c))).sum::<f32>() * SIZE / self.units_per_em
    }

    /// Encode `s` as 2-byte glyph ids, remembering the glyphs used.
    fn encode(&mut self, s: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(s.len() * 2);
        for c in s.chars() {
            let gid = self.glyph(c);
            let id = u16::try_from(gid.to_u32()).unwrap_or(0);
            let adv = self.advance(gid);
            self.used.entry(id).or_insert((adv, c));
            out.extend_from_slice(&id.to_be_bytes());
        }
        out
    }
}

/// Wrap one paragraph (no `\n`) into lines that fit `max` points.
fn wrap(face: &Face<'_>, paragraph: &str, max: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in paragraph.split(' ') {
        let candidate = if line.is_empty() {
            word.to_owned()
        } else {
            format!("{line} {word}")
        };
        if face.width(&candidate) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // A word wider than the line: break it by characters.
        let mut piece = String::new();
        for c in word.chars() {
            piece.push(c);
            if face.width(&piece) > max {
                piece.pop();
                lines.push(std::mem::take(&mut piece));
                piece.push(c);
            }
        }
        line = piece;
    }
    lines.push(line);
    lines
}

/// Keep French punctuation with its word: a no-break space before `:`,
/// `;`, `?`, `!` and `»`, and after `«`, so no line starts with them.
fn french_spacing(text: &str) -> String {
    text.replace(" :", "\u{a0}:")
        .replace(" ;", "\u{a0};")
        .replace(" ?", "\u{a0}?")
        .replace(" !", "\u{a0}!")
        .replace(" »", "\u{a0}»")
        .replace("« ", "«\u{a0}")
}

/// Render `body` (lines separated by `\n`) as an A4 PDF titled `title`.
pub fn render(title: &str, body: &str) -> Vec<u8> {
    let Some(mut face) = Face::new(FONT) else {
        return Vec::new();
    };
    let max = PAGE_W - 2.0 * MARGIN_X;
    let mut lines = Vec::new();
    for paragraph in french_spacing(body).lines() {
        lines.extend(wrap(&face, paragraph.trim_end(), max));
    }
    let per_page = ((PAGE_H - MARGIN_TOP - MARGIN_BOTTOM) / LEADING)
        .floor()
        .max(1.0) as usize;

    let mut pdf = Pdf::new();
    let mut next = 1;
    let mut alloc = || {
        let r = Ref::new(next);
        next += 1;
        r
    };
    let catalog_id = alloc();
    let tree_id = alloc();
    let info_id = alloc();
    let type0_id = alloc();
    let cid_id = alloc();
    let descriptor_id = alloc();
    let file_id = alloc();
    let cmap_id = alloc();
    let font_name = Name(b"F1");

    let chunks: Vec<&[String]> = lines.chunks(per_page).collect();
    let mut page_ids = Vec::new();
    for chunk in &chunks {
        let page_id = alloc();
        let content_id = alloc();
        page_ids.push(page_id);
        let mut content = Content::new();
        content.begin_text();
        content.set_font(font_name, SIZE);
        content.set_leading(LEADING);
        content.next_line(MARGIN_X, PAGE_H - MARGIN_TOP);
        for line in chunk.iter() {
            if !line.is_empty() {
                let encoded = face.encode(line);
                content.show(Str(&encoded));
            }
            content.next_line_using_leading();
        }
        content.end_text();
        let data = compress_to_vec_zlib(&content.finish(), 6);
        pdf.stream(content_id, &data).filter(Filter::FlateDecode);
        let mut page = pdf.page(page_id);
        page.media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H));
        page.parent(tree_id);
        page.contents(content_id);
        page.resources().fonts().pair(font_name, type0_id);
        page.finish();
    }
    pdf.catalog(catalog_id).pages(tree_id);
    let count = i32::try_from(page_ids.len()).unwrap_or(i32::MAX);
    pdf.pages(tree_id)
        .kids(page_ids.iter().copied())
        .count(count);
    pdf.document_info(info_id)
        .title(TextStr(title))
        .producer(TextStr("FuiteCheck"));

    let scale = 1000.0 / face.units_per_em;
    let base = Name(b"DejaVuSerif");
    let system = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    pdf.type0_font(type0_id)
        .base_font(base)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid_id)
        .to_unicode(cmap_id);
    {
        let mut cid = pdf.cid_font(cid_id);
        cid.subtype(CidFontType::Type2)
            .base_font(base)
            .system_info(system)
            .font_descriptor(descriptor_id)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        let mut widths = cid.widths();
        for (gid, (adv, _)) in &face.used {
            widths.consecutive(*gid, [adv * scale]);
        }
    }
    let metrics = face.font.metrics(Size::unscaled(), LocationRef::default());
    let bbox = metrics
        .bounds
        .map_or(Rect::new(-600.0, -400.0, 2000.0, 1100.0), |b| {
            Rect::new(
                b.x_min * scale,
                b.y_min * scale,
                b.x_max * scale,
                b.y_max * scale,
            )
        });
    pdf.font_descriptor(descriptor_id)
        .name(base)
        .flags(FontFlags::SERIF | FontFlags::NON_SYMBOLIC)
        .bbox(bbox)
        .italic_angle(0.0)
        .ascent(metrics.ascent * scale)
        .descent(metrics.descent * scale)
        .cap_height(metrics.cap_height.unwrap_or(metrics.ascent) * scale)
        .stem_v(80.0)
        .font_file2(file_id);
    let font_data = compress_to_vec_zlib(FONT, 6);
    pdf.stream(file_id, &font_data)
        .filter(Filter::FlateDecode)
        .pair(
            Name(b"Length1"),
            i32::try_from(FONT.len()).unwrap_or(i32::MAX),
        );

    let mut cmap = UnicodeCmap::new(Name(b"Custom"), system);
    for (gid, (_, c)) in &face.used {
        cmap.pair(*gid, *c);
    }
    let cmap_data = cmap.finish();
    pdf.cmap(cmap_id, &cmap_data).system_info(system);
    pdf.finish()
}
