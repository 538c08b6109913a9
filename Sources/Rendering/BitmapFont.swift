// A 3×5 pixel font (our own glyphs) for status lines drawn into frames: score, episode and
// step under the game in the window and in recordings. Upper-case letters, digits and a few
// signs; anything else draws as a space.
import RL

public enum BitmapFont {
    public static let glyphWidth = 3, glyphHeight = 5

    /// Each glyph is five rows of three bits, top row first, most significant bit on the left.
    static let glyphs: [Character: [UInt8]] = [
        "0": [7, 5, 5, 5, 7], "1": [2, 6, 2, 2, 7], "2": [7, 1, 7, 4, 7], "3": [7, 1, 3, 1, 7], "4": [5, 5, 7, 1, 1],
        "5": [7, 4, 7, 1, 7], "6": [7, 4, 7, 5, 7], "7": [7, 1, 1, 2, 2], "8": [7, 5, 7, 5, 7], "9": [7, 5, 7, 1, 7],
        "A": [2, 5, 7, 5, 5], "B": [6, 5, 6, 5, 6], "C": [3, 4, 4, 4, 3], "D": [6, 5, 5, 5, 6], "E": [7, 4, 6, 4, 7],
        "F": [7, 4, 6, 4, 4], "G": [3, 4, 5, 5, 3], "H": [5, 5, 7, 5, 5], "I": [7, 2, 2, 2, 7], "J": [1, 1, 1, 5, 2],
        "K": [5, 5, 6, 5, 5], "L": [4, 4, 4, 4, 7], "M": [5, 7, 7, 5, 5], "N": [6, 5, 5, 5, 5], "O": [2, 5, 5, 5, 2],
        "P": [6, 5, 6, 4, 4], "Q": [2, 5, 5, 6, 3], "R": [6, 5, 6, 5, 5], "S": [3, 4, 2, 1, 6], "T": [7, 2, 2, 2, 2],
        "U": [5, 5, 5, 5, 7], "V": [5, 5, 5, 5, 2], "W": [5, 5, 7, 7, 5], "X": [5, 5, 2, 5, 5], "Y": [5, 5, 2, 2, 2],
        "Z": [7, 1, 2, 4, 7], "-": [0, 0, 7, 0, 0], ".": [0, 0, 0, 0, 2], ":": [0, 2, 0, 2, 0], "/": [1, 1, 2, 4, 4],
        "+": [0, 2, 7, 2, 0], "×": [0, 5, 2, 5, 0],
    ]

    /// Pixel width of `text` at `scale` (one blank column between glyphs).
    public static func width(of text: String, scale: Int = 1) -> Int {
        max(0, text.count * (glyphWidth + 1) - 1) * scale
    }

    /// Draws `text` with its top-left corner at (x, y), each font pixel `scale`×`scale`.
    public static func draw(_ text: String, at x: Int, _ y: Int, scale: Int = 1, color: RGB, into frame: inout Frame) {
        var cx = x
        for ch in text.uppercased() {
            if let rows = glyphs[ch] {
                for (row, bits) in rows.enumerated() {
                    for col in 0..<glyphWidth where bits & (4 >> UInt8(col)) != 0 {
                        frame.fillRect(x: cx + col * scale, y: y + row * scale, width: scale, height: scale, color)
                    }
                }
            }
            cx += (glyphWidth + 1) * scale
        }
    }
}
