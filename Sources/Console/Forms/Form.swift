import Allocation

/// A small form over the screen: its fields (``FormFields``) and what the console knows about them, the batch it
/// acts on, the lookups and the preview it asks the loop for, and the confirmation the last Enter sends.
struct Form {
    typealias Field = FormFields.Field
    typealias Values = FormFields.Values
    /// What is accepted but worth a second look, as of `today` (e.g. an ETA in the past); nil when nothing is.
    typealias Caution = (_ text: String, _ today: Day) -> String?

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
    var entry: FormFields
    /// The fields' cautions, by label.
    let cautionsByLabel: [String: Caution]
    /// The refusal of the last submission (the core's message); nothing was changed.
    var refusal: String?
    /// What the command would do, shown under the fields: the last Enter sends exactly this command. Editing a
    /// field drops it, so the next Enter asks for a new one.
    var confirmation: Confirmation?
    /// What the next reload finds out for the form (the loop alone queries).
    var previewRequest: PreviewRequest?
    /// The SKU field whose value the loop looks up when it is left, to confirm a SKU that has no product yet, or
    /// to say at once that it is unknown.
    var lookupField: Int?
    /// Whether the command makes a SKU the lookup finds new (the new-batch form: the last Enter asks to confirm
    /// it), or refuses it (the allocate form: said under the field as it is left).
    var lookupCreatesSKU = true
    /// The loop's answer for the last SKU looked up.
    var skuAnswer: SKUAnswer?
    /// The allocate form's SKU and quantity fields: once both are valid, the loop says under the quantity where
    /// the line would go (``placementAnswer``), computed when either field is left or the keys pause.
    var placementFields: (sku: Int, qty: Int)?
    /// The loop's answer for the placement last asked for.
    var placementAnswer: PlacementAnswer?
    /// The day by the settings' clock, for the fields' cautions; set when the form opens and at each reload.
    var today: Day?
    /// The move form's batch field, listing the SKU's batches with room (``Form/Choices``).
    var batchChoiceFields: BatchChoiceFields?
    /// The loop's answer for the batches of ``batchChoiceFields``.
    var batchChoices: Choices?
    /// The loop's answer for the SKUs starting with what was typed in a SKU field.
    var skuChoices: Choices?
    /// The choice made in the focused field's list with ↑ and ↓; nil until one is.
    var chosen: Int?
    /// The allocate form's order, kept for its next line after a line was allocated, and how many were.
    var keptOrder: (orderid: String, lines: Int)?

    /// What the form asks the loop to find out at the next reload.
    enum PreviewRequest: Equatable {
        /// What a quantity change would do: the loop sets the ``confirmation`` that sends it.
        case quantityChange(ChangeBatchQuantity)
        /// What a receipt would do: the loop sets the ``confirmation`` that sends it.
        case receipt(ReceiveBatch)
        /// Which lines re-planning would move: the loop sets the ``confirmation`` that sends it.
        case replan(Replan)
        /// Whether a SKU has a product yet: the loop sets ``skuAnswer``.
        case sku(String)
        /// The batches of a SKU the move form lists: the loop sets ``batchChoices``.
        case batchChoices(sku: String)
        /// The known SKUs starting with what was typed: the loop sets ``skuChoices``.
        case skuChoices(prefix: String)
        /// Where the command's line would go, for the ``placementFields``' texts `fields`: the loop sets
        /// ``placementAnswer``.
        case placement(Allocate, fields: [String])
    }

    /// Where a line would go, said for the SKU and quantity texts it was computed for.
    struct PlacementAnswer: Equatable {
        let fields: [String]
        let note: String
        /// When the line would be complete (``Promise/note``); nil for a SKU no product has.
        var promise: String?
    }

    /// Whether a SKU had no product when the loop looked it up.
    struct SKUAnswer: Equatable {
        let sku: String
        let isNew: Bool
        /// The known SKU nearest by spelling, for a new one (one differing only in case first).
        var suggestion: String?
    }

    /// A command ready to send and the lines that say what it will do.
    struct Confirmation {
        let command: Command
        let lines: [String]
        /// The field Esc goes back to, its value selected; nil keeps the current field.
        var backTo: Int?
    }

    /// What the last Enter asks for, from the fields' texts: a command to send or typed text; throws to refuse.
    let submit: (Values) throws -> Reaction

    init(
        title: String, note: String? = nil, batch: String? = nil, fields: [Field], cautions: [String: Caution] = [:],
        index: Int = 0, submit: @escaping (Values) throws -> Reaction
    ) {
        // A form that opens past fields it pre-filled says so in its title.
        let skipped = fields.prefix(index).filter { !$0.text.isEmpty }.map(\.label)
        self.title = skipped.isEmpty ? title : "\(title): \(skipped.joined(separator: ", ")) pre-filled"
        self.note = note
        self.batch = batch
        self.entry = FormFields(fields, index: index)
        self.cautionsByLabel = cautions
        self.submit = submit
    }

    /// Takes a key: chooses in the focused field's pick list (``handleChoice(_:)``), edits or moves between fields
    /// (``Reaction/redraw``), cancels on Esc, submits on the last Enter.
    mutating func handle(_ key: Key) -> Reaction {
        if confirmation == nil, let reaction = handleChoice(key) { return reaction }
        let change = entry.handle(key)
        if case .edited = change { chosen = nil }
        if case .moved = change { chosen = nil }
        switch change {
        case .notTaken:
            guard key == .escape else { break }
            guard let confirmation else { return .closeOverlay }
            // Back to the fields, as they were, to correct one.
            self.confirmation = nil
            if let field = confirmation.backTo { entry.index = field }
        case .shown:
            break
        case .edited:
            refusal = nil
            confirmation = nil
        case .moved(let left):
            if left == lookupField, let request = lookupRequest { return .preview(request) }
            if let fields = placementFields, left == fields.sku || left == fields.qty, let request = placementRequest {
                return .preview(request)
            }
            if choicesRequest != nil { return .reload(all: false) }
        case .submitted:
            if let confirmation { return .send(confirmation.command) }
            do {
                return confirmingNewSKU(try submit(entry.values))
            } catch {
                refusal = operatorMessage(for: error)
            }
        }
        return .redraw
    }

    /// The lookup the ``lookupField``'s value needs: nil when it is empty, invalid or already answered.
    var lookupRequest: PreviewRequest? {
        guard let lookupField else { return nil }
        let field = entry.fields[lookupField]
        guard !field.text.isEmpty, field.problem == nil, skuAnswer?.sku != field.text else { return nil }
        return .sku(field.text)
    }

    /// The placement the ``placementFields`` ask for now, answered or not: nil unless both hold a valid value.
    var placementQuery: PreviewRequest? {
        guard let (skuField, qtyField) = placementFields else { return nil }
        let sku = entry.fields[skuField]
        let qty = entry.fields[qtyField]
        guard sku.problem == nil, qty.problem == nil, (try? Validation.checkIdentifier(sku.text, field: "sku")) != nil,
            let quantity = try? Validation.quantity(qty.text)
        else { return nil }
        let orderid = entry.fields.first { $0.label == "Order id" }?.text ?? ""
        return .placement(Allocate(orderid: orderid, sku: sku.text, qty: quantity), fields: [sku.text, qty.text])
    }

    /// The placement still to ask for: nil when the fields are not both valid or their texts are answered.
    var placementRequest: PreviewRequest? {
        guard let query = placementQuery, case .placement(_, let fields) = query, placementAnswer?.fields != fields
        else { return nil }
        return query
    }

    /// The placement note under the quantity field, when it was computed for the fields' current texts.
    private func placementLines(_ field: Int) -> [String] {
        guard let fields = placementFields, field == fields.qty, let placementAnswer,
            placementAnswer.fields == [entry.fields[fields.sku].text, entry.fields[fields.qty].text]
        else { return [] }
        let promise = placementAnswer.promise.map { TerminalText.wrap($0, width: Form.noteWidth).prefix(2) } ?? []
        return (TerminalText.wrap(placementAnswer.note, width: Form.noteWidth).prefix(2) + promise).map { "  " + $0 }
    }

    /// The cells a note under a field takes, after its two-cell mark (the box's 64 less its frame and margins).
    static let noteWidth = 58

    /// What is worth a second look about a field's accepted value: a SKU the loop found new, or the field's
    /// caution as of ``today`` (e.g. an ETA in the past); nil when there is none or the field has a problem.
    func warning(_ field: Int) -> String? {
        let text = entry.fields[field].text
        guard entry.fields[field].problem == nil, !text.isEmpty else { return nil }
        if field == lookupField, let skuAnswer, skuAnswer.sku == text, skuAnswer.isNew {
            let meant = skuAnswer.suggestion.map { "did you mean \($0)?" }
            guard lookupCreatesSKU else { return "SKU \(text) is unknown: " + (meant ?? "no batch has it") }
            return "SKU \(text) is new: " + (meant ?? "no batch has it yet")
        }
        guard let today, let caution = cautionsByLabel[entry.fields[field].label] else { return nil }
        return caution(text, today)
    }

    /// A field's warning as the form shows it: marked `!` and wrapped over up to two lines of the box, not cut.
    private func warningLines(_ field: Int) -> [FormFields.Note] {
        let lines = warning(field).map { TerminalText.wrap($0, width: Form.noteWidth).prefix(2) } ?? []
        let warnings = lines.enumerated().map { ($0.offset == 0 ? "! " : "  ") + $0.element } + placementLines(field)
        return warnings.map { FormFields.Note(text: $0) } + choiceLines(field)
    }

    /// The cautions about the values the form sends, repeated in the status line once its command is done.
    var cautions: [String] {
        entry.fields.indices.filter { $0 != lookupField }.compactMap(warning)
    }

    /// A command for a SKU the loop found new waits for a confirming Enter, as does one whose SKU could not be
    /// looked up yet (the lookup is asked for again); any other reaction goes through.
    private mutating func confirmingNewSKU(_ reaction: Reaction) -> Reaction {
        guard case .send(let command) = reaction, let lookupField, lookupCreatesSKU else { return reaction }
        let sku = entry.fields[lookupField].text
        if let request = lookupRequest {
            let line = "SKU \(sku) is not looked up yet: Enter creates it if it is new, Esc goes back"
            confirmation = Confirmation(command: command, lines: [line], backTo: lookupField)
            return .preview(request)
        }
        guard skuAnswer?.isNew == true else { return reaction }
        let meant = skuAnswer?.suggestion.map { " (did you mean \($0)?)" } ?? ""
        let line = "SKU \(sku) is new\(meant): Enter creates it, Esc goes back"
        confirmation = Confirmation(command: command, lines: [line], backTo: lookupField)
        return .redraw
    }

    /// Said instead of the form when it does not fit; its keys, but Esc, are refused meanwhile.
    static let tooSmall = "make the terminal bigger for this form; Esc closes it"

    /// The cells of the box: 64, or the area's width when narrower.
    static let boxWidth = 64

    /// What the form says under its title: the note, or for the allocate form after a line, that its order is kept.
    var shownNote: String? {
        guard let keptOrder, entry.fields.first?.text == keptOrder.orderid else { return note }
        return "Order \(keptOrder.orderid) stays for the next line (\(keptOrder.lines) entered): Ctrl-U on "
            + "Order id clears it; Esc closes."
    }

    /// The form's lines, wrapped to the box's inner width in `area`: the note, the confirmation and the refusal.
    private struct Layout {
        let noteLines: [String]
        let confirmationLines: [String]
        let refusalLines: [String]
        /// How many confirmation lines are shown.
        let shownLines: Int
        /// The lines the form needs.
        let needed: Int
    }

    /// The form's lines and how many of them fit `area`. Text is wrapped, never cut: the note and the
    /// confirmation whole, a refusal (the core's whole sentence) over up to three lines.
    private func layout(in area: Area) -> Layout {
        let inner = max(1, min(Form.boxWidth, area.width) - 4)
        let noteLines = shownNote.map { TerminalText.wrap($0, width: inner) } ?? []
        let refusalLines = refusal.map { Array(TerminalText.wrap("Refused: " + $0, width: inner).prefix(3)) } ?? []
        let confirmationLines = confirmation?.lines.flatMap { Form.wrap($0, width: inner) } ?? []
        // The frame, the footer and a line each for the note's lines, the fields, their problems and the
        // refusal's lines; a blank line before the refusal and footer when there is room for it.
        let fixed = 3 + entry.height(notes: warningLines) + noteLines.count + refusalLines.count
        // A confirmation takes what is left, down to its first line and a line saying how many more there are.
        let wanted = confirmationLines.count
        let shownLines = min(wanted, max(min(wanted, 2), area.height - fixed - 1))
        return Layout(
            noteLines: noteLines, confirmationLines: confirmationLines, refusalLines: refusalLines,
            shownLines: shownLines, needed: fixed + shownLines)
    }

    /// `line` over lines of `width` cells, its indent kept and its continuation lines indented two more.
    static func wrap(_ line: String, width: Int) -> [String] {
        guard TerminalText.width(line) > width else { return [line] }
        let indent = String(line.prefix { $0 == " " })
        let words = TerminalText.wrap(String(line.dropFirst(indent.count)), width: max(1, width - indent.count - 2))
        return words.enumerated().map { ($0.offset == 0 ? indent : indent + "  ") + $0.element }
    }

    /// Whether the form can be drawn in `area`; when not, it shows ``tooSmall`` instead, and a key typed or an
    /// Enter would act on a form the operator cannot see.
    func fits(in area: Area) -> Bool {
        area.width >= Form.minimumWidth && area.height >= layout(in: area).needed
    }

    func render(into canvas: inout Canvas, area: Area) {
        let layout = layout(in: area)
        let (refusalLines, shownLines, needed) = (layout.refusalLines, layout.shownLines, layout.needed)
        guard fits(in: area) else {
            Box.notice(Form.tooSmall, in: area, on: &canvas)
            return
        }
        let box = Box.centred(width: Form.boxWidth, height: needed + 1, in: area)
        Box.draw(title, in: box, on: &canvas)
        let inner = box.width - 4
        var y = box.y + 1
        for line in layout.noteLines {
            canvas.put(line, x: box.x + 2, y: y, limit: inner, style: .dim)
            y += 1
        }
        y = entry.render(into: &canvas, x: box.x + 2, y: y, width: inner, notes: warningLines)
        if confirmation != nil {
            let lines = layout.confirmationLines
            let cut = shownLines < lines.count
            for line in lines.prefix(cut ? shownLines - 1 : shownLines) {
                canvas.put(line, x: box.x + 2, y: y, limit: inner, style: .normal)
                y += 1
            }
            if cut {
                let more = lines.count - shownLines + 1
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
