import Allocation

/// A small form over the screen: Enter-terminated fields checked as they are typed, so a barcode scanner acting
/// as a keyboard fills it field by field; the last Enter submits.
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
    var index = 0
    /// The refusal of the last submission (the core's message); nothing was changed.
    var refusal: String?
    /// What the command would do, shown under the fields: the last Enter sends exactly this command. Editing a
    /// field drops it, so the next Enter asks for a new one.
    var confirmation: Confirmation?
    /// The quantity change whose preview the next reload computes (the loop alone queries).
    var previewRequest: ChangeBatchQuantity?

    /// A command ready to send and the lines that say what it will do.
    struct Confirmation {
        let command: Command
        let lines: [String]
    }
    /// What the last Enter asks for, from the fields' texts: a command to send or typed text; throws to refuse.
    let submit: ([String]) throws -> Reaction

    /// Takes a key: edits or moves between fields (``Reaction/redraw``), cancels on Esc, submits on the last Enter.
    mutating func handle(_ key: Key) -> Reaction {
        switch key {
        case .escape:
            return .closeOverlay
        case .character(let character):
            refusal = nil
            confirmation = nil
            guard fields[index].text.count < fields[index].limit else {
                fields[index].problem = "at most \(fields[index].limit) characters"
                return .redraw
            }
            fields[index].text.append(character)
            check(index, strict: false)
        case .backspace, .delete:
            if !fields[index].text.isEmpty { fields[index].text.removeLast() }
            refusal = nil
            confirmation = nil
            check(index, strict: false)
        case .tab, .down:
            index = (index + 1) % fields.count
        case .backTab, .up:
            index = (index + fields.count - 1) % fields.count
        case .enter:
            guard check(index, strict: true) else { return .redraw }
            if index < fields.count - 1 {
                index += 1
                return .redraw
            }
            for field in fields.indices where !check(field, strict: true) {
                index = field
                return .redraw
            }
            if let confirmation { return .send(confirmation.command) }
            do {
                return try submit(fields.map(\.text))
            } catch {
                refusal = operatorMessage(for: error)
            }
        default:
            break
        }
        return .redraw
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

    /// Said instead of the form when it does not fit; its keys, but Esc, are refused meanwhile.
    static let tooSmall = "make the terminal bigger for this form; Esc closes it"

    /// The refusal's lines, how many confirmation lines are shown, and the lines the form needs in `area`.
    private func layout(in area: Area) -> (refusalLines: [String], shownLines: Int, needed: Int) {
        let problems = fields.filter { $0.problem != nil }.count
        // The frame, the footer and a line each for the note, the fields, their problems and the refusal; a
        // blank line before the refusal and footer when there is room for it.
        // A refusal is the core's whole sentence: wrapped over up to three lines of the box (64 cells, less the
        // frame and margins), not cut.
        let refusalLines = refusal.map { Array(DisplayText.wrap("Refused: " + $0, width: 60).prefix(3)) } ?? []
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
            let shown = DisplayText.tail(field.text, room: room - 2, ellipsis: canvas.glyphs.ellipsis)
            let fieldX = box.x + 3 + labelWidth
            canvas.fill(x: fieldX, y: y, count: room, style: active ? .input : .normal)
            let written = canvas.put(shown, x: fieldX, y: y, limit: room, style: active ? .input : .normal)
            if active { canvas.put("_", x: fieldX + written, y: y, style: .input) }
            y += 1
            if let problem = field.problem {
                canvas.put("! " + problem, x: box.x + 2, y: y, limit: inner, style: .error)
                y += 1
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
            confirmation == nil ? "Enter next/submit  Tab move  Esc cancel" : "Enter confirms  Esc cancel",
            x: box.x + 2, y: box.y + box.height - 2, limit: inner,
            style: .dim)
    }
}

extension Form {
    /// `/`: one line of text for a search or filter; empty clears it.
    static func prompt(title: String, label: String, text: String) -> Form {
        Form(title: title, note: "Empty clears.", fields: [Field(label: label, text: text, check: { _ in })]) {
            .typed($0[0])
        }
    }
}
