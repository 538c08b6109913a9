// Drawing the board into a `Frame`: wooden background, grid, star points, stones with a rim,
// the last move marked, and coordinates (GTP letters along the top and bottom, numbers at the
// sides) in the 3×5 font.
import RL
import Rendering

extension GoGame {
    /// Pixels between lines; the board is about 460 pixels wide at every size.
    public var cellPixels: Int { max(20, 460 / (size + 1)) }
    var margin: Int { cellPixels }

    public var frameSize: FrameSize {
        let side = 2 * margin + (size - 1) * cellPixels
        return FrameSize(width: side, height: side)
    }

    static let wood = RGB(220, 179, 92), line = RGB(60, 40, 20)

    /// Star points (hoshi) for the usual sizes.
    public var starPoints: [(row: Int, col: Int)] {
        let edge = size >= 13 ? 3 : 2
        guard size >= 7 else { return [] }
        var lines = [edge, size - 1 - edge]
        if size % 2 == 1 && size >= 9 { lines.insert(size / 2, at: 1) }
        if size < 13 { return [(edge, edge), (edge, size - 1 - edge), (size - 1 - edge, edge), (size - 1 - edge, size - 1 - edge), (size / 2, size / 2)] }
        return lines.flatMap { r in lines.map { c in (r, c) } }
    }

    /// The pixel centre of (row, col).
    public func pixel(row: Int, col: Int) -> (x: Int, y: Int) { (margin + col * cellPixels, margin + row * cellPixels) }

    /// The (row, col) nearest a pixel, or nil outside the board (for mouse clicks).
    public func boardPoint(x: Int, y: Int) -> (row: Int, col: Int)? {
        let c = Int((Double(x - margin) / Double(cellPixels)).rounded()), r = Int((Double(y - margin) / Double(cellPixels)).rounded())
        return (0..<size).contains(r) && (0..<size).contains(c) ? (r, c) : nil
    }

    public func render(into frame: inout Frame) {
        frame.fill(Self.wood)
        let c = cellPixels, m = margin, span = (size - 1) * c
        for i in 0..<size {
            frame.fillRect(x: m, y: m + i * c, width: span + 1, height: 1, Self.line)
            frame.fillRect(x: m + i * c, y: m, width: 1, height: span + 1, Self.line)
        }
        for (r, col) in starPoints { disc(&frame, pixel(row: r, col: col), radius: max(2, c / 8), Self.line) }
        let font = max(1, c / 12)
        for i in 0..<size {
            let letter = String(GTPVertex.letters[i]), number = String(size - i)
            let x = m + i * c - BitmapFont.width(of: letter, scale: font) / 2
            BitmapFont.draw(letter, at: x, m / 2 - 5 * font / 2 - c / 8, scale: font, color: Self.line, into: &frame)
            BitmapFont.draw(letter, at: x, m + span + m / 2 - 5 * font / 2 + c / 8, scale: font, color: Self.line, into: &frame)
            let y = m + i * c - 5 * font / 2
            BitmapFont.draw(number, at: m / 2 - BitmapFont.width(of: number, scale: font) / 2 - c / 8, y, scale: font, color: Self.line, into: &frame)
            BitmapFont.draw(number, at: m + span + m / 2 - BitmapFont.width(of: number, scale: font) / 2 + c / 8, y, scale: font, color: Self.line, into: &frame)
        }
        let radius = c / 2 - 1
        for r in 0..<size {
            for col in 0..<size {
                let stone = board[r, col]
                guard stone == .black || stone == .white else { continue }
                let centre = pixel(row: r, col: col)
                disc(&frame, centre, radius: radius, RGB(30, 30, 30))
                if stone == .white { disc(&frame, centre, radius: radius - 1, RGB(240, 240, 235)) }
            }
        }
        if let last = moves.last, let p = last.point {
            let (r, col) = board.rowCol(p)
            disc(&frame, pixel(row: r, col: col), radius: max(2, c / 6), last.color == .black ? RGB(240, 240, 235) : RGB(30, 30, 30))
            let ring = last.color == .black ? RGB(200, 40, 40) : RGB(200, 40, 40)
            disc(&frame, pixel(row: r, col: col), radius: max(1, c / 10), ring)
        }
    }

    private func disc(_ frame: inout Frame, _ centre: (x: Int, y: Int), radius: Int, _ color: RGB) {
        let r2 = radius * radius + radius
        for dy in -radius...radius {
            for dx in -radius...radius where dx * dx + dy * dy <= r2 {
                frame.plot(x: centre.x + dx, y: centre.y + dy, color)
            }
        }
    }
}
