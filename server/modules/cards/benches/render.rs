//! A cold card render (layout, SVG, raster, PNG) — what a request that misses the cache waits
//! for — and its steps. `cargo bench -p cards`.

use std::hint::black_box;

use cards::svg::Parts;
use cards::{Card, CardKind, CardRenderer};
use contracts::theme::{PageTheme, ThemePreset};
use criterion::{Criterion, criterion_group, criterion_main};

fn showcase() -> Card {
    Card {
        title: "Ana María Núñez".to_owned(),
        bio: "Coach ejecutiva 🌟 Ayudo a líderes a comunicar con claridad, negociar sin miedo y crecer ☕️ \
              👩🏽‍💻 Sesiones en español y portugués, presenciales en Córdoba o en línea."
            .to_owned(),
        theme: PageTheme::preset(ThemePreset::Ejecutivo).resolve(),
        host_and_path: "mibio.example/ana-coach".to_owned(),
        avatar: None,
        kind: CardKind::Profile,
    }
}

fn bench(c: &mut Criterion) {
    let renderer = CardRenderer::new().expect("the shipped fonts load");
    let card = showcase();
    c.bench_function("cold render (layout + raster + PNG)", |b| {
        b.iter(|| renderer.render(black_box(&card)).expect("renders"));
    });
    c.bench_function("layout only", |b| b.iter(|| renderer.layout(black_box(&card))));
    let layout = renderer.layout(&card);
    c.bench_function("raster only (SVG parse + draw)", |b| {
        b.iter(|| renderer.rasterise(black_box(&layout), Parts::default()).expect("renders"));
    });
    c.bench_function("font loading (once, at start-up)", |b| {
        b.iter(|| CardRenderer::new().expect("the shipped fonts load"));
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}
criterion_main!(benches);
