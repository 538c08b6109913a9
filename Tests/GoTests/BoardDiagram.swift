// Boards drawn as text in tests: X black, O white, . empty; row 0 is the top line.
@testable import Go

extension GoBoard {
    init(diagram: String) {
        let rows = diagram.split(separator: "\n").map { $0.filter { !$0.isWhitespace } }.filter { !$0.isEmpty }
        self.init(size: rows.count)
        for (r, row) in rows.enumerated() {
            for (c, ch) in row.enumerated() where ch != "." {
                play(point(row: r, col: c), ch == "X" ? .black : .white)
            }
        }
    }

    var diagram: String {
        (0..<size).map { r in String((0..<size).map { c in ["." , "X", "O", "#"][Int(self[r, c].rawValue)] as Character }) }
            .joined(separator: "\n")
    }
}
