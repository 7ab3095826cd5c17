import Allocation

/// Pick lists under a field: the move form's batches with room, with their ETA and availability, and the SKUs a
/// SKU field completes to. ↑ and ↓ choose in the list while the field has the focus, Enter takes the choice, and
/// typing still goes into the field (a scanner types the whole value), narrowing the list.
extension Form {
    /// One choice of a pick list: the value it puts in the field, and what the list says of it.
    struct Choice: Equatable {
        let value: String
        var detail: String = ""
    }

    /// The choices the loop read for a field, and what they were read for (the SKU whose batches they are, or the
    /// SKU prefix typed).
    struct Choices: Equatable {
        let key: String
        let choices: [Choice]
    }

    /// The move form's fields the batch list needs: the SKU whose batches it lists, the batch field it is under,
    /// the line's quantity when known (only batches with room for it are listed), and the line's own batch.
    struct BatchChoiceFields: Equatable {
        let sku: Int
        let batch: Int
        var qty: Int?
        var excluding: String?
    }

    /// The most choices a list shows.
    static let choiceLimit = 5

    /// The SKU field the focus is on, completed from the known SKUs once something was typed in it.
    private var completingField: Int? {
        let index = entry.index
        guard entry.fields[index].label == "SKU", entry.typed, !entry.fields[index].text.isEmpty else { return nil }
        return index
    }

    /// What the loop reads next for a pick list: the move form's batches once its SKU is valid, or the SKUs that
    /// start with what was typed in a SKU field; nil when those are read already.
    var choicesRequest: PreviewRequest? {
        if let fields = batchChoiceFields {
            let sku = entry.fields[fields.sku]
            if sku.problem == nil, (try? Validation.checkIdentifier(sku.text, field: "sku")) != nil,
                batchChoices?.key != sku.text
            {
                return .batchChoices(sku: sku.text)
            }
        }
        if let field = completingField, skuChoices?.key != entry.fields[field].text {
            return .skuChoices(prefix: entry.fields[field].text)
        }
        return nil
    }

    /// The choices listed under the focused field now, narrowed by what was typed; empty when it has no list.
    var shownChoices: [Choice] {
        let index = entry.index
        let text = entry.fields[index].text
        if let fields = batchChoiceFields, index == fields.batch, let batchChoices,
            batchChoices.key == entry.fields[fields.sku].text
        {
            let typed = entry.typed ? text.lowercased() : ""
            return Array(
                batchChoices.choices.filter { typed.isEmpty || $0.value.lowercased().contains(typed) }.prefix(
                    Form.choiceLimit))
        }
        guard completingField == index, let skuChoices, skuChoices.key == text else { return [] }
        let choices = skuChoices.choices.prefix(Form.choiceLimit)
        // A SKU typed whole needs no list.
        return choices.count == 1 && choices[0].value == text ? [] : Array(choices)
    }

    /// ↑ and ↓ choose in the focused field's list (↑ with nothing chosen moves to the field above, as ever), Enter
    /// takes the choice; nil for a key the list does not take.
    mutating func handleChoice(_ key: Key) -> Reaction? {
        let choices = shownChoices
        guard !choices.isEmpty else { return nil }
        switch key {
        case .down:
            chosen = min((chosen ?? -1) + 1, choices.count - 1)
            return .redraw
        case .up:
            guard let current = chosen else { return nil }
            chosen = current > 0 ? current - 1 : nil
            return .redraw
        case .enter:
            if let chosen, choices.indices.contains(chosen) {
                entry.take(choices[chosen].value)
                refusal = nil
                confirmation = nil
            }
            chosen = nil
            return nil
        default:
            return nil
        }
    }

    /// The focused field's list as the form draws it under the field: the choice made marked `>` and shown
    /// selected, and a line saying how to choose; with no batch to offer, the move form says so instead.
    func choiceLines(_ field: Int) -> [FormFields.Note] {
        guard field == entry.index else { return [] }
        let choices = shownChoices
        if choices.isEmpty, let fields = batchChoiceFields, field == fields.batch, let batchChoices,
            batchChoices.key == entry.fields[fields.sku].text, batchChoices.choices.isEmpty
        {
            return [FormFields.Note(text: "  no other batch of \(batchChoices.key) has room for the line", style: .dim)]
        }
        guard !choices.isEmpty else { return [] }
        let width = choices.map { TerminalText.width($0.value) }.max() ?? 0
        let lines = choices.enumerated().map { number, choice in
            let padding = String(repeating: " ", count: max(0, width - TerminalText.width(choice.value)))
            let text = (number == chosen ? "> " : "  ") + choice.value + padding + "  " + choice.detail
            return FormFields.Note(text: text, style: number == chosen ? .selected : .normal)
        }
        return lines + [FormFields.Note(text: "  Up/Down choose, Enter takes, or type", style: .dim)]
    }

    /// A batch as the move form lists it: `in stock` or `arriving 2026-12-09`, and its units available.
    static func batchChoice(_ row: BatchRow) -> Choice {
        let eta = row.eta.map { "arriving \($0)" } ?? "in stock"
        return Choice(value: row.reference, detail: "\(eta)  \(row.available) available")
    }
}

extension Form {
    /// Reads the move form's batches with room for the line at each reload (the data they show may have changed
    /// since), and what else ``choicesRequest`` asks for: the known SKUs starting with what was typed (as typed,
    /// and in capitals, so `oak` finds `OAK-TABLE`).
    mutating func readChoices(in database: Database) throws {
        if let fields = batchChoiceFields {
            let sku = entry.fields[fields.sku]
            if sku.problem == nil, (try? Validation.checkIdentifier(sku.text, field: "sku")) != nil {
                let rows = try Views.batches(sku: Validation.normalized(sku.text), in: database).filter {
                    $0.available >= max(1, fields.qty ?? 1) && $0.reference != fields.excluding
                }
                batchChoices = Choices(key: sku.text, choices: rows.map(Form.batchChoice))
            }
        }
        if case .skuChoices(let prefix) = choicesRequest {
            let typed = Validation.normalized(prefix)
            var words = try Views.completionWords(.sku, prefix: typed, limit: Form.choiceLimit, in: database)
            if typed.uppercased() != typed {
                words += try Views.completionWords(
                    .sku, prefix: typed.uppercased(), limit: Form.choiceLimit, in: database)
            }
            skuChoices = Choices(key: prefix, choices: Set(words).sorted().map { Choice(value: $0) })
        }
        if let chosen, chosen >= shownChoices.count { self.chosen = nil }
    }

    /// Whether a SKU has a product yet, and for a new one the known SKU nearest by spelling (one differing only in
    /// case first).
    static func answer(sku: String, in database: Database) throws -> SKUAnswer {
        let normalized = Validation.normalized(sku)
        guard try !Views.productExists(sku: normalized, in: database) else { return SKUAnswer(sku: sku, isNew: false) }
        let suggestion = try Views.skuNearest(to: normalized, in: database)
        return SKUAnswer(sku: sku, isNew: true, suggestion: suggestion)
    }
}
