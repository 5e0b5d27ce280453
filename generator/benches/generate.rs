//! How long generating the whole crate from `spec/dwolla.yaml` takes, in total and by stage.
//! Run with `cargo bench -p generator --bench generate`.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};

fn inputs() -> (String, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let read = |rel: &str| std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    (read(generator::SPEC_PATH), read(generator::OVERLAY_PATH))
}

fn bench(c: &mut Criterion) {
    let (spec, overlay) = inputs();
    let overlay = Some((overlay.as_str(), generator::OVERLAY_PATH));
    let mut g = c.benchmark_group("generate");
    g.sample_size(30);

    g.bench_function("whole spec (all stages but writing)", |b| {
        b.iter(|| generator::render(black_box(&spec), "spec/dwolla.yaml", overlay).unwrap_or_else(|e| panic!("{e}")))
    });

    let parsed = generator::spec::parse_yaml(&spec, "spec/dwolla.yaml").unwrap_or_else(|e| panic!("{e}"));
    g.bench_function("stage: parse YAML", |b| {
        b.iter(|| generator::spec::parse_yaml(black_box(&spec), "spec/dwolla.yaml").unwrap_or_else(|e| panic!("{e}")))
    });
    g.bench_function("stage: overlay + normalize + openapiv3", |b| {
        b.iter_batched(
            || parsed.clone(),
            |mut doc| {
                generator::spec::read_value(&mut doc, "spec/dwolla.yaml", overlay).unwrap_or_else(|e| panic!("{e}"))
            },
            criterion::BatchSize::LargeInput,
        )
    });
    let mut doc = parsed.clone();
    let read = generator::spec::read_value(&mut doc, "spec/dwolla.yaml", overlay).unwrap_or_else(|e| panic!("{e}"));
    g.bench_function("stage: IR", |b| {
        b.iter(|| generator::ir::build(black_box(&read)).unwrap_or_else(|e| panic!("{e}")))
    });
    let ir = generator::ir::build(&read).unwrap_or_else(|e| panic!("{e}"));
    g.bench_function("stage: tokens (one thread)", |b| {
        b.iter(|| generator::codegen::rust_files(black_box(&ir)))
    });
    g.bench_function("stage: format (syn + prettyplease, one thread)", |b| {
        b.iter_batched(
            || generator::codegen::rust_files(&ir),
            |files| {
                for f in files {
                    black_box(
                        generator::output::rust_file(&f.path, f.tokens, "spec/dwolla.yaml")
                            .unwrap_or_else(|e| panic!("{e}")),
                    );
                }
            },
            criterion::BatchSize::LargeInput,
        )
    });
    g.bench_function("stage: tokens + format, file by file on every core", |b| {
        let plan = generator::codegen::plan(&ir);
        let paths: Vec<String> = plan.iter().map(|file| file.path.clone()).collect();
        b.iter(|| {
            generator::output::parallel::rust_files(
                black_box(paths.clone()),
                |i| generator::codegen::tokens(&ir, &plan[i]),
                "spec/dwolla.yaml",
            )
        })
    });
    g.sample_size(10);
    for n in [1_000usize, 10_000] {
        let text = generator::testing::many_schemas(n);
        let label = if n == 1_000 { "1,000" } else { "10,000" };
        g.bench_function(format!("{label} synthetic schemas"), |b| {
            b.iter(|| generator::render(black_box(&text), "many.yaml", None).unwrap_or_else(|e| panic!("{e}")))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
