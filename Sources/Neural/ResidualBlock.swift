// The AlphaGo Zero residual block: y = ReLU(x + BN(Conv(ReLU(BN(Conv(x)))))), both
// convolutions 3×3, padding 1, no bias (the BatchNorm supplies it), channels unchanged.
import Tensors

public final class ResidualBlock: TwoConvolutionBlock {
    public let conv1: Conv2D, bn1: BatchNorm2D, relu1 = Activation(.relu)
    public let conv2: Conv2D, bn2: BatchNorm2D
    private var sum = ResidualSum()

    public init(channels: Int, name: String, generator: inout SeededGenerator) {
        conv1 = Conv2D(inChannels: channels, outChannels: channels, kernel: 3, padding: 1, bias: false,
                       name: joinName(name, "conv1"), generator: &generator)
        bn1 = BatchNorm2D(channels: channels, name: joinName(name, "bn1"))
        conv2 = Conv2D(inChannels: channels, outChannels: channels, kernel: 3, padding: 1, bias: false,
                       name: joinName(name, "conv2"), generator: &generator)
        bn2 = BatchNorm2D(channels: channels, name: joinName(name, "bn2"))
    }

    public var parameters: [Parameter] { conv1.parameters + bn1.parameters + conv2.parameters + bn2.parameters }

    public var isTraining: Bool {
        get { bn1.isTraining }
        set { for layer in [conv1, bn1, relu1, conv2, bn2] as [any Layer] { layer.isTraining = newValue } }
    }

    public func forward(_ x: Tensor) -> Tensor {
        sum.forward(x, plus: bn2(conv2(relu1(bn1(conv1(x))))))
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let atSum = sum.gradientAtSum(dy)
        return sum.inputGradient(branch: conv1.backward(bn1.backward(relu1.backward(conv2.backward(bn2.backward(atSum))))))
    }
}
