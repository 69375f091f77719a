import PurseCore

/// The canonical contracts of Permit2 payments, at the same address on every EVM chain.
///
/// x402 signs Permit2 transfers whose spender is one of its two proxies: the proxy moves the
/// tokens only to the witness's `to` (and, for `upto`, only when called by the witness's
/// facilitator). Purse never signs a Permit2 message for any other spender.
public enum Permit2Addresses {
    /// Uniswap's Permit2.
    public static let permit2 = try! Address(parsing: "0x000000000022D473030F116dDEE9F6B43aC78BA3")
    /// `x402ExactPermit2Proxy`: settles exactly the permitted amount.
    public static let exactProxy = try! Address(parsing: "0x402085c248EeA27D92E8b30b2C58ed07f9E20001")
    /// `x402UptoPermit2Proxy`: settles any amount up to the permitted one, called by the witness's facilitator.
    public static let uptoProxy = try! Address(parsing: "0x4020A4f3b7b90ccA423B9fabCc0CE57C6C240002")

    /// Every contract above: none of them can be a facilitator (a facilitator sends transactions).
    public static let all: Set<Address> = [permit2, exactProxy, uptoProxy]
}
