// Eight values stored inline, so games with a fixed number of entities — Freeway's eight cars,
// Asterix's eight row slots — copy without heap allocation or reference counting
// (the standard library's `InlineArray`, SE-0453).

typealias FixedArray8<Element> = InlineArray<8, Element>
