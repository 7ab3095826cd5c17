import Testing

@testable import Allocation
@testable import Console

/// README's capture of the allocate form with the promise for the quantity typed.
@Suite struct ReadmePromiseScreenTests {
    @Test func theAllocateFormSaysWhenTheLineWouldBeComplete() throws {
        let story = try ReadmeStory()
        defer { withExtendedLifetime(story) {} }
        let app = story.console()
        app.press(.character("a"))
        app.type("o-2001")
        app.press(.enter, .enter)
        app.type("12")
        app.reload(all: false, follow: false)  // as the loop's tick does when the keys pause
        try ReadmeScreensTests.expect(
            "Allocate form: where the line would go and when it would be complete (80×24)", is: app.frame)
    }
}
