//! The peer of `benches/app/startup.sh`: a hello-world Tauri 2 app built with Shipdeck's crates,
//! window and features (the same tauri.conf.json window, the dialog and notification plugins, a
//! tray icon), whose page only says hello. Like the app, it prints "first paint N ms after start"
//! when its page has rendered, so the two are timed the same way in one run. With `--repaint`
//! its page changes its text once after the first frame (`bench/hello-repaint.html`): a page
//! painted only once keeps one window buffer fewer than any page that updates (measured in
//! docs/benchmarks.md), so memory is compared with both. With `--page-file PATH` it shows that
//! file instead: the bench gives it a copy of the app's window as drawn, without its scripts.

use std::time::Instant;

struct Started(Instant);

#[tauri::command]
fn first_paint(started: tauri::State<'_, Started>, page_ms: Option<f64>) {
    eprintln!("shipdeck-hello: first paint {} ms after start (page {:.0} ms)", started.0.elapsed().as_millis(), page_ms.unwrap_or(-1.0));
}

fn main() {
    let started = Instant::now();
    let mut context = tauri::generate_context!();
    // `--page-file PATH`: a page from disk instead (benches/app/startup.sh gives it a copy of
    // the app's own window, markup and stylesheet, without its scripts).
    let args: Vec<String> = std::env::args().collect();
    let page_file = args.iter().position(|a| a == "--page-file").and_then(|i| args.get(i + 1)).and_then(|p| tauri::Url::from_file_path(std::path::absolute(p).ok()?).ok());
    for w in &mut context.config_mut().app.windows {
        let page = if args.iter().any(|a| a == "--repaint") { "bench/hello-repaint.html" } else { "bench/hello.html" };
        w.url = match &page_file {
            Some(url) => tauri::WebviewUrl::External(url.clone()),
            None => tauri::WebviewUrl::App(page.into()),
        };
    }
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .manage(Started(started))
        .invoke_handler(tauri::generate_handler![first_paint])
        .setup(|app| {
            let mut tray = tauri::tray::TrayIconBuilder::new().tooltip("hello");
            if let Some(icon) = app.default_window_icon() {
                tray = tray.icon(icon.clone());
            }
            if let Err(e) = tray.build(app) {
                eprintln!("shipdeck-hello: no tray icon: {e}");
            }
            Ok(())
        })
        .run(context)
        .expect("the hello-world app could not start");
}
