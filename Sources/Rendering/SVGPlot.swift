// Learning curves as an SVG figure, in the manner of the MinAtar paper: return against frames,
// one line per configuration with a shaded 95% band over seeds, labelled axes, a legend.
import Foundation
import RL
import Runs

public enum SVGPlot {
    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]

    /// Round tick values covering 0…max (or min…max).
    static func ticks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
        let span = max(high - low, 1e-9)
        let raw = span / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        // From the multiple of `step` at or below `low` to the one at or above `high`.
        let first = (low / step).rounded(.down), last = (high / step).rounded(.up)
        return stride(from: first, through: max(last, first + 1), by: 1).map { $0 * step }
    }

    static func format(_ v: Double) -> String {
        if abs(v) >= 1_000_000 { return String(format: "%gM", v / 1_000_000) }
        if abs(v) >= 1_000 { return String(format: "%gk", v / 1_000) }
        return String(format: "%g", v)
    }

    public static func render(_ curves: [LearningCurve], title: String, xLabel: String = "frames",
                              yLabel: String = "average return (last 100 episodes)", width: Double = 800, height: Double = 500) -> String {
        let left = 70.0, right = 20.0, top = 40.0, bottom = 60.0
        let plotW = width - left - right, plotH = height - top - bottom
        let maxX = curves.flatMap(\.frames).max() ?? 1
        let lows = curves.flatMap { c in zip(c.mean, c.halfWidth).map { $0 - $1 } }
        let highs = curves.flatMap { c in zip(c.mean, c.halfWidth).map { $0 + $1 } }
        let yTicks = ticks(min(0, lows.min() ?? 0), max(highs.max() ?? 1, 1e-9))
        let minY = yTicks.first!, maxY = max(yTicks.last!, minY + 1e-9)
        let xTicks = ticks(0, maxX)
        func x(_ v: Double) -> Double { left + plotW * v / max(xTicks.last!, 1e-9) }
        func y(_ v: Double) -> Double { top + plotH * (1 - (v - minY) / (maxY - minY)) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="13">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(f(width / 2))" y="24" text-anchor="middle" font-size="16">\(escape(title))</text>

            """
        for t in yTicks {
            svg += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(y(t)))\" y2=\"\(f(y(t)))\" stroke=\"#e5e5e5\"/>\n"
            svg += "<text x=\"\(f(left - 8))\" y=\"\(f(y(t) + 4))\" text-anchor=\"end\">\(format(t))</text>\n"
        }
        for t in xTicks {
            svg += "<line x1=\"\(f(x(t)))\" x2=\"\(f(x(t)))\" y1=\"\(f(top + plotH))\" y2=\"\(f(top + plotH + 5))\" stroke=\"black\"/>\n"
            svg += "<text x=\"\(f(x(t)))\" y=\"\(f(top + plotH + 20))\" text-anchor=\"middle\">\(format(t))</text>\n"
        }
        svg += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"black\"/>\n"
        svg += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 15))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        svg += "<text transform=\"translate(18 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>\n"
        for (i, c) in curves.enumerated() {
            let color = palette[i % palette.count]
            if c.seeds > 1 {
                let upper = zip(c.frames, zip(c.mean, c.halfWidth)).map { "\(f(x($0))),\(f(y($1.0 + $1.1)))" }
                let lower = zip(c.frames, zip(c.mean, c.halfWidth)).reversed().map { "\(f(x($0))),\(f(y($1.0 - $1.1)))" }
                svg += "<polygon points=\"\((upper + lower).joined(separator: " "))\" fill=\"\(color)\" fill-opacity=\"0.2\" stroke=\"none\"/>\n"
            }
            let line = zip(c.frames, c.mean).map { "\(f(x($0))),\(f(y($1)))" }.joined(separator: " ")
            svg += "<polyline points=\"\(line)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>\n"
            let ly = top + 18 + Double(i) * 18
            svg += "<line x1=\"\(f(left + 12))\" x2=\"\(f(left + 36))\" y1=\"\(f(ly - 4))\" y2=\"\(f(ly - 4))\" stroke=\"\(color)\" stroke-width=\"3\"/>\n"
            svg += "<text x=\"\(f(left + 42))\" y=\"\(f(ly))\">\(escape(c.label)) (\(c.seeds) seed\(c.seeds == 1 ? "" : "s"))</text>\n"
        }
        return svg + "</svg>\n"
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
