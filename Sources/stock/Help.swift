/// The `--help` texts, one per subcommand.
enum Help {
    static let general = """
        stock: stock allocation for a warehouse, in a terminal.

        Usage: stock [--db PATH] [--settings FILE] [SUBCOMMAND] [ARGUMENTS]

        With no subcommand, opens the operator console (--max-frames N: draw N frames, then exit).

        Subcommands:
          init [--demo]                       create the database (--demo: fill it with the demo data set)
          add-batch REF SKU QTY [--eta DATE]  add a batch; DATE is YYYY-MM-DD, none means in the warehouse
          allocate ORDERID SKU QTY            allocate an order line; prints the batch reference
          deallocate ORDERID SKU              free an order's line for a SKU
          change-quantity REF QTY             set a batch's quantity; lines that no longer fit move
          batches [--sku SKU] [--json]        batches in allocation-preference order per SKU
          allocations ORDERID [--json]        where an order's lines went
          events [--since ID] [--follow] [--json]
                                              the event log (--follow: keep printing new events)
          apply [FILE|-]                      run JSON-lines commands from a file or standard input
          monitor                             the read-only monitoring screen
          demo [--reset]                      the console on the demo database (made on first use)
          help [SUBCOMMAND]                   this text, or a subcommand's

        Options:
          --db PATH          the database (default $STOCK_DB, else $XDG_DATA_HOME/stock/stock.sqlite)
          --settings FILE    a JSON settings file (default $STOCK_SETTINGS, else built-in settings)

        Exit status: 0 done, 1 refused by a business rule, 2 bad usage or input, 3 database problem.
        """

    static let subcommands: [String: String] = [
        "init": """
        Usage: stock init [--demo]

        Creates the database file and its schema, or brings an older file's schema up to date.
        --demo fills a new, empty database with the demo data set from assets/demo/demo.jsonl
        (ETAs relative to today).
        """,
        "add-batch": """
        Usage: stock add-batch REF SKU QTY [--eta YYYY-MM-DD]

        Adds batch REF of QTY units of SKU. Without --eta the batch is in the warehouse.
        Refused (exit 1) when REF already exists.
        """,
        "allocate": """
        Usage: stock allocate ORDERID SKU QTY

        Allocates the order line to the preferred batch (in the warehouse first, then the earliest ETA)
        and prints the batch reference. Allocating the same line again changes nothing and prints its batch.
        Exit 1 with "Invalid sku SKU" for an unknown SKU, "Out of stock for SKU" when no batch can take it.
        """,
        "deallocate": """
        Usage: stock deallocate ORDERID SKU

        Frees the order's line for SKU and drops the line. Exit 1 when the order has no such line.
        """,
        "change-quantity": """
        Usage: stock change-quantity REF QTY

        Sets batch REF's purchased quantity (0 or more). Lines that no longer fit are deallocated,
        newest order lines first, and re-allocated to other batches where they fit.
        """,
        "batches": """
        Usage: stock batches [--sku SKU] [--json]

        Lists batches by SKU in allocation-preference order with purchased, allocated and available.
        --json prints [{"reference","sku","eta","purchased","allocated","available"}].
        """,
        "allocations": """
        Usage: stock allocations ORDERID [--json]

        Lists where the order's lines went, sorted by SKU. --json prints [{"sku","batchref"}].
        """,
        "events": """
        Usage: stock events [--since ID] [--follow] [--json]

        Prints the event log, oldest first, from after event ID. --json prints one JSON object a line:
        {"id","at","kind", ...the event's fields}. --follow keeps printing events as they are committed,
        by this or any other process, until interrupted.
        """,
        "apply": """
        Usage: stock apply [FILE|-]

        Runs one command per JSON line, from FILE or standard input, e.g.
          {"command":"Allocate","orderid":"o1","sku":"LAMP","qty":3}
          {"command":"CreateBatch","ref":"b1","sku":"LAMP","qty":100,"eta":"2026-12-01"}
          {"command":"ChangeBatchQuantity","ref":"b1","qty":50}
          {"command":"Deallocate","orderid":"o1","sku":"LAMP"}
        Prints one result line each: {"ok":true,...} or {"ok":false,"error":"..."}. Each line is its own
        transaction; a bad line is reported and the rest still run.
        Exit 0 if all succeeded, 1 if any was refused, 2 if any was malformed.
        """,
        "demo": """
        Usage: stock demo [--reset] [--max-frames N]

        Opens the operator console on the demo database ($XDG_DATA_HOME/stock/demo.sqlite, or --db),
        creating it and loading assets/demo/demo.jsonl the first time. --reset starts it afresh.
        """,
        "monitor": """
        Usage: stock monitor [--max-frames N]

        Opens the read-only monitoring screen: the batches board and the event log, refreshed live.
        The database is opened read-only, so nothing can be changed from it. --max-frames N draws N frames
        and exits, for scripted runs.
        """,
    ]
}
