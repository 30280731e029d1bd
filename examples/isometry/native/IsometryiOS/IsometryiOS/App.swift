import SwiftUI

@main
struct IsometryApp: App {
    var body: some Scene {
        WindowGroup {
            ContentView()
        }
    }
}
