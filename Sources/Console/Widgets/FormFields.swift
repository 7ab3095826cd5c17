import Allocation

/// The fields of a form and which one has the focus: Enter-terminated text fields checked as they are typed, so
/// a barcode scanner acting as a keyboard fills them field by field.
///
/// A field's value is selected whenever the field is entered (it has the focus as the form opens, or Tab, ↑, ↓
/// or Enter moves to it): the first character typed, or a whole scanned barcode, replaces it; Backspace edits it
/// instead, and →, ← or End keep it as it is. Ctrl-U clears the field and Ctrl-W erases the word before the
/// cursor.
struct FormFields {
    /// One text field and the rule its text must meet.
    struct Field {
        let label: String
        var text: String
        /// The most characters the field takes, so a long paste or a stuck scanner cannot grow it without bound
        /// (keys past it are refused with a message).
        let limit: Int
        /// Throws an error whose operator message says what is wrong.
        let check: (String) throws -> Void
        var problem: String?

        init(
            label: String, text: String, limit: Int = Validation.maximumTextLength,
            check: @escaping (String) throws -> Void
        ) {
            self.label = label
            self.text = text
            self.limit = limit
            self.check = check
        }
    }

    /// The fields' texts read by the fields' labels: fields that are reordered still give each value as the
    /// argument it is.
    struct Values {
        let fields: [Field]

        /// The text of the field labelled `label`.
        subscript(_ label: String) -> String {
            guard let field = fields.first(where: { $0.label == label }) else {
                preconditionFailure("the form has no field labelled \(label)")
            }
            return field.text
        }

        /// The text of the optional field labelled `label`, nil when it was left empty.
        func optional(_ label: String) -> String? {
            let text = self[label]
            return text.isEmpty ? nil : text
        }
    }

    /// What a key did, for the form around the fields to follow up.
    enum Change: Equatable {
        /// A key the fields do not take (e.g. Esc).
        case notTaken
        /// The selection ended, or a field's problem is now shown.
        case shown
        /// The current field's text was edited, or the key was refused with a problem.
        case edited
        /// The focus left field `from` for another.
        case moved(from: Int)
        /// Enter on the last field, with every field meeting its rule.
        case submitted
    }

    /// A line under a field: a warning, a note, or one of the choices of a pick list.
    struct Note: Equatable {
        let text: String
        var style: Style = .alert
    }

    var fields: [Field]
    /// The field with the focus; entering one (setting it) selects its whole value.
    var index: Int {
        didSet {
            selected = !fields[index].text.isEmpty
            typed = false
        }
    }
    /// The focused field's whole value is selected: typing replaces it.
    private(set) var selected: Bool
    /// The focused field was edited since it was entered.
    private(set) var typed = false

    init(_ fields: [Field], index: Int = 0) {
        self.fields = fields
        self.index = index
        self.selected = !fields[index].text.isEmpty
    }

    var values: Values { Values(fields: fields) }

    /// Takes a key: edits the focused field, moves the focus, or checks every field on the last Enter.
    mutating func handle(_ key: Key) -> Change {
        switch key {
        case .character(let character):
            edit(replacingSelection: true) { text, limit in
                guard text.count < limit else { return "at most \(limit) characters" }
                text.append(character)
                return nil
            }
        case .backspace, .delete:
            edit { text, _ in
                if !text.isEmpty { text.removeLast() }
                return nil
            }
        case .control("u"):
            edit { text, _ in
                text = ""
                return nil
            }
        case .control("w"):
            edit { text, _ in
                text = FormFields.erasingWord(text)
                return nil
            }
        case .left, .right, .end:
            selected = false
            return .shown
        case .tab, .down:
            return move(to: (index + 1) % fields.count)
        case .backTab, .up:
            return move(to: (index + fields.count - 1) % fields.count)
        case .enter:
            guard check(index, strict: true) else { return .shown }
            if index < fields.count - 1 { return move(to: index + 1) }
            for field in fields.indices where !check(field, strict: true) {
                index = field
                return .shown
            }
            return .submitted
        default:
            return .notTaken
        }
        return .edited
    }

    /// Puts `text` in the focused field, as a choice taken from a list: the selection ends and the field is checked.
    mutating func take(_ text: String) {
        fields[index].text = text
        selected = false
        check(index, strict: false)
    }

    private mutating func move(to field: Int) -> Change {
        let left = index
        index = field
        return .moved(from: left)
    }

    /// Changes the focused field's text and ends its selection; `change` answers a problem to refuse the key
    /// with. A typed character replaces a selected value (the first key of a scan starts afresh); Backspace,
    /// Ctrl-U and Ctrl-W edit the value as it is.
    private mutating func edit(replacingSelection: Bool = false, _ change: (inout String, Int) -> String?) {
        var text = replacingSelection && selected ? "" : fields[index].text
        selected = false
        typed = true
        if let problem = change(&text, fields[index].limit) {
            fields[index].problem = problem
            return
        }
        fields[index].text = text
        check(index, strict: false)
    }

    /// `text` less its last word: back over trailing spaces and punctuation, then over the letters and digits
    /// before them (`BLUE-CHAIR` becomes `BLUE-`, then empty).
    static func erasingWord(_ text: String) -> String {
        var rest = Substring(text)
        while let last = rest.last, !isWordCharacter(last) { rest.removeLast() }
        while let last = rest.last, isWordCharacter(last) { rest.removeLast() }
        return String(rest)
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }

    /// Checks a field; an empty field is only complained about when `strict` (on Enter).
    @discardableResult
    mutating func check(_ field: Int, strict: Bool) -> Bool {
        let text = fields[field].text
        do {
            if strict || !text.isEmpty { try fields[field].check(text) }
            fields[field].problem = nil
            return true
        } catch {
            fields[field].problem = operatorMessage(for: error)
            return false
        }
    }

    /// The lines the fields take: one each, and under each its problem (one line) or else its `notes`.
    func height(notes: (Int) -> [Note]) -> Int {
        fields.indices.map { 1 + (fields[$0].problem == nil ? notes($0).count : 1) }.reduce(0, +)
    }

    /// Draws the fields from line `y`, `width` cells from `x`: a label, the end of the text with a cursor on the
    /// focused field, and under it its problem or its `notes`. Returns the line after the last one drawn.
    func render(into canvas: inout Canvas, x: Int, y top: Int, width: Int, notes: (Int) -> [Note]) -> Int {
        var y = top
        let labelWidth = min(14, width / 3)
        for (number, field) in fields.enumerated() {
            let active = number == index
            canvas.put(field.label + ":", x: x, y: y, limit: labelWidth, style: active ? .key : .normal)
            let room = width - labelWidth - 1
            // The end of the text, where typing happens; one cell stays free for the cursor.
            let shown = TerminalText.tail(field.text, room: room - 2, ellipsis: canvas.glyphs.ellipsis)
            let fieldX = x + 1 + labelWidth
            canvas.fill(x: fieldX, y: y, count: room, style: active ? .input : .normal)
            let textStyle: Style = active ? (selected ? .selected : .input) : .normal
            let written = canvas.put(shown, x: fieldX, y: y, limit: room, style: textStyle)
            if active { canvas.put("_", x: fieldX + written, y: y, style: .input) }
            y += 1
            if let problem = field.problem {
                canvas.put("! " + problem, x: x, y: y, limit: width, style: .error)
                y += 1
            } else {
                for note in notes(number) {
                    canvas.put(note.text, x: x, y: y, limit: width, style: note.style)
                    y += 1
                }
            }
        }
        return y
    }
}
