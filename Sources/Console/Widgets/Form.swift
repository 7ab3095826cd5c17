import Allocation

/// A small form over the screen: Enter-terminated fields checked as they are typed, so a barcode scanner acting
/// as a keyboard fills it field by field; the last Enter submits.
///
/// A field's value is selected whenever the field is entered (the form opens, Tab, ↑, ↓ or Enter moves to it):
/// the first character typed, or a whole scanned barcode, replaces it; Backspace edits it instead, and →, ← or
/// End keep it as it is. Ctrl-U clears the field and Ctrl-W erases the word before the cursor.
struct Form {
    /// One text field and the contract its text must meet.
    struct Field {
        let label: String
        var text: String
        /// The most characters the field takes: what the core accepts, so a long paste or a stuck scanner
        /// cannot grow it without bound (keys past it are refused with a message).
        let limit: Int
        /// Throws a `ContractViolation` whose message says what is wrong.
        let check: (String) throws -> Void
        /// What is accepted but worth a second look, as of `today` (e.g. an ETA in the past); nil when nothing is.
        let caution: ((_ text: String, _ today: Day) -> String?)?
        var problem: String?

        init(
            label: String, text: String, limit: Int = Validation.maximumTextLength,
            check: @escaping (String) throws -> Void, caution: ((String, Day) -> String?)? = nil
        ) {
            self.label = label
            self.text = text
            self.limit = limit
            self.check = check
            self.caution = caution
        }
    }

    /// Characters a quantity field takes: the digits of ``Validation/maximumQuantity`` and a sign.
    static let quantityLimit = String(Validation.maximumQuantity).count + 1
    /// Narrower than this, a field has no room to show what is typed and the form shows a notice instead.
    static let minimumWidth = 30
    /// Characters a date field takes: `YYYY-MM-DD`.
    static let dateLimit = 10

    let title: String
    /// A line about what the form acts on, e.g. the selected batch.
    var note: String?
    /// The batch the form acts on, whose ``note`` follows the batch's row as it is reloaded.
    var batch: String?
    var fields: [Field]
    /// The current field; entering one (setting it) selects its whole value.
    var index: Int {
        didSet { selected = !fields[index].text.isEmpty }
    }
    /// The current field's whole value is selected: typing replaces it.
    private(set) var selected: Bool
    /// The refusal of the last submission (the core's message); nothing was changed.
    var refusal: String?
    /// What the command would do, shown under the fields: the last Enter sends exactly this command. Editing a
    /// field drops it, so the next Enter asks for a new one.
    var confirmation: Confirmation?
    /// What the next reload finds out for the form (the loop alone queries).
    var previewRequest: PreviewRequest?
    /// The SKU field whose value the loop looks up when it is left, to confirm a SKU that has no product yet.
    var lookupField: Int?
    /// The loop's answer for the last SKU looked up.
    var skuAnswer: SKUAnswer?
    /// The day by the settings' clock, for the fields' cautions; set when the form opens and at each reload.
    var today: Day?

    /// What the form asks the loop to find out at the next reload.
    enum PreviewRequest: Equatable {
        /// What a quantity change would do: the loop sets the ``confirmation`` that sends it.
        case quantityChange(ChangeBatchQuantity)
        /// Whether a SKU has a product yet: the loop sets ``skuAnswer``.
        case sku(String)
    }

    /// Whether a SKU had no product when the loop looked it up.
    struct SKUAnswer: Equatable {
        let sku: String
        let isNew: Bool
    }

    /// A command ready to send and the lines that say what it will do.
    struct Confirmation {
        let command: Command
        let lines: [String]
        /// The field Esc goes back to, its value selected; nil keeps the current field.
        var backTo: Int?
    }
    /// The fields' texts as the last Enter submits them, read by the fields' labels: a form whose fields are
    /// reordered still sends each value as the argument it is.
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

    /// What the last Enter asks for, from the fields' texts: a command to send or typed text; throws to refuse.
    let submit: (Values) throws -> Reaction

    init(
        title: String, note: String? = nil, batch: String? = nil, fields: [Field], index: Int = 0,
        submit: @escaping (Values) throws -> Reaction
    ) {
        self.title = title
        self.note = note
        self.batch = batch
        self.fields = fields
        self.index = index
        self.selected = !fields[index].text.isEmpty
        self.submit = submit
    }

    /// Takes a key: edits or moves between fields (``Reaction/redraw``), cancels on Esc, submits on the last Enter.
    mutating func handle(_ key: Key) -> Reaction {
        switch key {
        case .escape:
            guard let confirmation else { return .closeOverlay }
            // Back to the fields, as they were, to correct one.
            self.confirmation = nil
            if let field = confirmation.backTo { index = field }
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
                text = Form.erasingWord(text)
                return nil
            }
        case .left, .right, .end:
            selected = false
        case .tab, .down:
            return move(to: (index + 1) % fields.count)
        case .backTab, .up:
            return move(to: (index + fields.count - 1) % fields.count)
        case .enter:
            guard check(index, strict: true) else { return .redraw }
            if index < fields.count - 1 { return move(to: index + 1) }
            for field in fields.indices where !check(field, strict: true) {
                index = field
                return .redraw
            }
            if let confirmation { return .send(confirmation.command) }
            do {
                return confirmingNewSKU(try submit(Values(fields: fields)))
            } catch {
                refusal = operatorMessage(for: error)
            }
        default:
            break
        }
        return .redraw
    }

    /// Moves to `field`; leaving the ``lookupField`` with a SKU not looked up yet asks the loop about it.
    private mutating func move(to field: Int) -> Reaction {
        let left = index
        index = field
        guard left == lookupField, let request = lookupRequest else { return .redraw }
        return .preview(request)
    }

    /// The lookup the ``lookupField``'s value needs: nil when it is empty, invalid or already answered.
    var lookupRequest: PreviewRequest? {
        guard let lookupField else { return nil }
        let sku = fields[lookupField].text
        guard !sku.isEmpty, fields[lookupField].problem == nil, skuAnswer?.sku != sku else { return nil }
        return .sku(sku)
    }

    /// Changes the current field's text and ends its selection; `change` answers a problem to refuse the key
    /// with. A typed character replaces a selected value (the first key of a scan starts afresh); Backspace,
    /// Ctrl-U and Ctrl-W edit the value as it is.
    private mutating func edit(replacingSelection: Bool = false, _ change: (inout String, Int) -> String?) {
        refusal = nil
        confirmation = nil
        var text = replacingSelection && selected ? "" : fields[index].text
        selected = false
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

    /// What is worth a second look about a field's accepted value: a SKU the loop found new, or the field's
    /// caution as of ``today`` (e.g. an ETA in the past); nil when there is none or the field has a problem.
    func warning(_ field: Int) -> String? {
        let text = fields[field].text
        guard fields[field].problem == nil, !text.isEmpty else { return nil }
        if field == lookupField, let skuAnswer, skuAnswer.sku == text, skuAnswer.isNew {
            return "SKU \(text) is new: no batch has it yet"
        }
        guard let today, let caution = fields[field].caution else { return nil }
        return caution(text, today)
    }

    /// A field's warning as the form shows it: marked `!` and wrapped over up to two lines of the box, not cut.
    private func warningLines(_ field: Int) -> [String] {
        let lines = warning(field).map { TerminalText.wrap($0, width: 58).prefix(2) } ?? []
        return lines.enumerated().map { ($0.offset == 0 ? "! " : "  ") + $0.element }
    }

    /// The cautions about the values the form sends, repeated in the status line once its command is done.
    var cautions: [String] {
        fields.indices.filter { $0 != lookupField }.compactMap(warning)
    }

    /// A command for a SKU the loop found new waits for a confirming Enter, as does one whose SKU could not be
    /// looked up yet (the lookup is asked for again); any other reaction goes through.
    private mutating func confirmingNewSKU(_ reaction: Reaction) -> Reaction {
        guard case .send(let command) = reaction, let lookupField else { return reaction }
        let sku = fields[lookupField].text
        if let request = lookupRequest {
            let line = "SKU \(sku) is not looked up yet: Enter creates it if it is new, Esc goes back"
            confirmation = Confirmation(command: command, lines: [line], backTo: lookupField)
            return .preview(request)
        }
        guard skuAnswer?.isNew == true else { return reaction }
        let line = "SKU \(sku) is new: Enter creates it, Esc goes back"
        confirmation = Confirmation(command: command, lines: [line], backTo: lookupField)
        return .redraw
    }

    /// Said instead of the form when it does not fit; its keys, but Esc, are refused meanwhile.
    static let tooSmall = "make the terminal bigger for this form; Esc closes it"

    /// The refusal's lines, how many confirmation lines are shown, and the lines the form needs in `area`.
    private func layout(in area: Area) -> (refusalLines: [String], shownLines: Int, needed: Int) {
        let problems = fields.indices.map { fields[$0].problem == nil ? warningLines($0).count : 1 }.reduce(0, +)
        // The frame, the footer and a line each for the note, the fields, their problems and the refusal; a
        // blank line before the refusal and footer when there is room for it.
        // A refusal is the core's whole sentence: wrapped over up to three lines of the box (64 cells, less the
        // frame and margins), not cut.
        let refusalLines = refusal.map { Array(TerminalText.wrap("Refused: " + $0, width: 60).prefix(3)) } ?? []
        let fixed = 3 + fields.count + problems + (note == nil ? 0 : 1) + refusalLines.count
        // A confirmation takes what is left, down to its first line and a line saying how many more there are.
        let wanted = confirmation.map { $0.lines.count } ?? 0
        let shownLines = min(wanted, max(min(wanted, 2), area.height - fixed - 1))
        return (refusalLines, shownLines, fixed + shownLines)
    }

    /// Whether the form can be drawn in `area`; when not, it shows ``tooSmall`` instead, and a key typed or an
    /// Enter would act on a form the operator cannot see.
    func fits(in area: Area) -> Bool {
        area.width >= Form.minimumWidth && area.height >= layout(in: area).needed
    }

    func render(into canvas: inout Canvas, area: Area) {
        let (refusalLines, shownLines, needed) = layout(in: area)
        guard fits(in: area) else {
            Box.notice(Form.tooSmall, in: area, on: &canvas)
            return
        }
        let box = Box.centred(width: 64, height: needed + 1, in: area)
        Box.draw(title, in: box, on: &canvas)
        let inner = box.width - 4
        var y = box.y + 1
        if let note {
            canvas.put(note, x: box.x + 2, y: y, limit: inner, style: .dim)
            y += 1
        }
        let labelWidth = min(14, inner / 3)
        for (number, field) in fields.enumerated() {
            let active = number == index
            canvas.put(field.label + ":", x: box.x + 2, y: y, limit: labelWidth, style: active ? .key : .normal)
            let room = inner - labelWidth - 1
            // The end of the text, where typing happens; one cell stays free for the cursor.
            let shown = TerminalText.tail(field.text, room: room - 2, ellipsis: canvas.glyphs.ellipsis)
            let fieldX = box.x + 3 + labelWidth
            canvas.fill(x: fieldX, y: y, count: room, style: active ? .input : .normal)
            let textStyle: Style = active ? (selected ? .selected : .input) : .normal
            let written = canvas.put(shown, x: fieldX, y: y, limit: room, style: textStyle)
            if active { canvas.put("_", x: fieldX + written, y: y, style: .input) }
            y += 1
            if let problem = field.problem {
                canvas.put("! " + problem, x: box.x + 2, y: y, limit: inner, style: .error)
                y += 1
            } else {
                for line in warningLines(number) {
                    canvas.put(line, x: box.x + 2, y: y, limit: inner, style: .alert)
                    y += 1
                }
            }
        }
        if let confirmation {
            let cut = shownLines < confirmation.lines.count
            for line in confirmation.lines.prefix(cut ? shownLines - 1 : shownLines) {
                canvas.put(line, x: box.x + 2, y: y, limit: inner, style: .normal)
                y += 1
            }
            if cut {
                let more = confirmation.lines.count - shownLines + 1
                canvas.put("\(canvas.glyphs.ellipsis) and \(more) more", x: box.x + 2, y: y, limit: inner, style: .dim)
                y += 1
            }
        }
        if !refusalLines.isEmpty, box.height > needed { y += 1 }
        for line in refusalLines {
            canvas.put(line, x: box.x + 2, y: y, limit: inner, style: .error)
            y += 1
        }
        canvas.put(
            confirmation == nil
                ? "Enter next/submit  Tab move  Ctrl-U clear  Esc cancel" : "Enter confirms  Esc back to the fields",
            x: box.x + 2, y: box.y + box.height - 2, limit: inner,
            style: .dim)
    }
}

extension Form {
    /// `/`: one line of text for a search or filter; empty clears it.
    static func prompt(title: String, label: String, text: String) -> Form {
        Form(title: title, note: "Empty clears.", fields: [Field(label: label, text: text, check: { _ in })]) {
            .typed($0[label])
        }
    }
}
