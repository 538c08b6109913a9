// A state that knows the actions that led to it from its game's start. Search keeps its tree
// across moves with it (the position searched, our move and the reply lead to the new root);
// games without it are searched afresh each move.
public protocol ActionHistory {
    /// Every action since the start, in order (setup such as handicap stones excluded).
    var actionHistory: [Int] { get }
}
