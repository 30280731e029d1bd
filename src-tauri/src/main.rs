// Shipdeck's window and menu-bar app. No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    shipdeck_app::run();
}
