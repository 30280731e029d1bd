//! The peer of `benches/app/startup.sh`: a hello-world Tauri 2 app built with Shipdeck's crates,
//! window and features (the same tauri.conf.json window, the dialog and notification plugins, a
//! tray icon), whose page only says hello. Like the app, it prints "first paint N ms after start"
//! when its page has rendered, so the two are timed the same way in one run. With `--repaint`
//! its page changes its text once after the first frame (`bench/hello-repaint.html`): a page
//! painted only once keeps one window buffer fewer than any page that updates (measured in
//! docs/benchmarks.md), so memory is compared with both.

use std::time::Instant;

struct Started(Instant);

#[tauri::command]
fn first_paint(started: tauri::State<'_, Started>, page_ms: Option<f64>) {
    eprintln!("shipdeck-hello: first paint {} ms after start (page {:.0} ms)", started.0.elapsed().as_millis(), page_ms.unwrap_or(-1.0));
}

fn main() {
    let started = Instant::now();
    let mut context = tauri::generate_context!();
    for w in &mut context.config_mut().app.windows {
        let page = if std::env::args().any(|a| a == "--repaint") { "bench/hello-repaint.html" } else { "bench/hello.html" };
        w.url = tauri::WebviewUrl::App(page.into());
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
