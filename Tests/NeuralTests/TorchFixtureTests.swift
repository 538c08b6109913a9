// Outputs and gradients compared with PyTorch on the same inputs and weights. Fixtures come
// from scripts/make_torch_fixtures.py (run once; committed), read with our safetensors reader.
import Foundation
import Neural
import Tensors
import XCTest

final class TorchFixtureTests: XCTestCase {
    var g = SeededGenerator(seed: 1)

    /// These fixtures' sums run over whole batches: 1e-4 of the largest value.
    let loose: Float = 1e-4

    /// Loads the fixture's weight and bias into the layer, then compares the output, the input
    /// gradient and both parameter gradients with PyTorch's.
    func checkLayer(_ layer: any Layer, weight: Parameter, bias: Parameter, _ f: SafeTensorsFile, _ name: String,
                    file: StaticString = #filePath, line: UInt = #line) {
        weight.value = f["weight"]!
        bias.value = f["bias"]!
        assertClose(layer.forward(f["x"]!), f["y"], "\(name) y", tolerance: loose, file: file, line: line)
        assertClose(layer.backward(f["dy"]!), f["dx"], "\(name) dx", tolerance: loose, file: file, line: line)
        assertClose(weight.gradient, f["dweight"], "\(name) dW", tolerance: loose, file: file, line: line)
        assertClose(bias.gradient, f["dbias"], "\(name) db", tolerance: loose, file: file, line: line)
    }

    func testDense() throws {
        let layer = Dense(inputs: 7, outputs: 5, name: "fc", generator: &g)
        checkLayer(layer, weight: layer.weight, bias: layer.bias!, try torchFixture("dense"), "dense")
    }

    func testLayerNorm() throws {
        let layer = LayerNorm(features: 6, name: "ln")
        checkLayer(layer, weight: layer.weight, bias: layer.bias, try torchFixture("layernorm"), "layernorm")
    }

    func testConvolutions() throws {
        for name in ["conv_stride2_pad1", "conv_valid", "conv_pointwise"] {
            let f = try torchFixture(name)
            let w = f["weight"]!
            let layer = Conv2D(inChannels: w.shape[1], outChannels: w.shape[0], kernel: Int(f.metadata["kernel"]!)!,
                               stride: Int(f.metadata["stride"]!)!, padding: Int(f.metadata["padding"]!)!,
                               name: "conv", generator: &g)
            checkLayer(layer, weight: layer.weight, bias: layer.bias!, f, name)
        }
    }

    func testBatchNorm() throws {
        let f = try torchFixture("batchnorm")
        let bn = BatchNorm2D(channels: 3, name: "bn")
        checkLayer(bn, weight: bn.weight, bias: bn.bias, f, "bn (training)")
        assertClose(bn.runningMean.value, f["running_mean"], "bn running mean", tolerance: loose)
        assertClose(bn.runningVariance.value, f["running_var"], "bn running var (unbiased)", tolerance: loose)
        bn.isTraining = false
        assertClose(bn.forward(f["x_eval"]!), f["y_eval"], "bn eval y", tolerance: loose)
    }

    func testLosses() throws {
        let f = try torchFixture("losses")
        var grad = Tensor.empty
        let huber = HuberLoss(delta: 1)(f["prediction"]!, f["target"]!, gradient: &grad)
        XCTAssertEqual(huber, f["huber"]![flat: 0], accuracy: 1e-5)
        assertClose(grad, f["huber_grad"], "huber gradient", tolerance: loose)
        let mse = MeanSquaredError()(f["prediction"]!, f["target"]!, gradient: &grad)
        XCTAssertEqual(mse, f["mse"]![flat: 0], accuracy: 1e-5)
        assertClose(grad, f["mse_grad"], "mse gradient", tolerance: loose)
        let ce = SoftmaxCrossEntropy()(f["logits"]!, .soft(f["policy_target"]!), mask: f["mask"]!, gradient: &grad)
        XCTAssertEqual(ce, f["ce"]![flat: 0], accuracy: 1e-5)
        assertClose(grad, f["ce_grad"], "masked cross-entropy gradient", tolerance: loose)
    }

    func testOptimizersOverFourSteps() throws {
        let f = try torchFixture("optimizers")
        let grads = f["grads"]!
        let makers: [(String, (Parameter) -> any Optimizer)] = [
            ("sgd", { SGD(parameters: [$0], learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01) }),
            ("rmsprop_centered", { RMSprop(parameters: [$0], learningRate: 2.5e-4, alpha: 0.95, epsilon: 0.01, centered: true) }),
            ("rmsprop", { RMSprop(parameters: [$0], learningRate: 0.01, alpha: 0.99, epsilon: 1e-8) }),
            ("adam", { Adam(parameters: [$0], learningRate: 1e-3, weightDecay: 0.01) }),
            ("adamw", { Adam.adamW(parameters: [$0], learningRate: 1e-3, weightDecay: 0.01) }),
        ]
        for (name, make) in makers {
            let p = Parameter(name: "p", value: f["start"]!.copy())
            let optimizer = make(p)
            for s in 0..<grads.shape[0] {
                p.gradient = grads.sample(s).copy()
                optimizer.step()
            }
            assertClose(p.value, f[name], name, tolerance: 1e-5)
        }
    }

    func testMinAtarDQNNetworkForwardAndBackward() throws {
        let f = try torchFixture("dqn_net")
        let conv = Conv2D(inChannels: 4, outChannels: 16, kernel: 3, name: "conv", generator: &g)
        let fc1 = Dense(inputs: 1024, outputs: 128, name: "fc1", generator: &g)
        let fc2 = Dense(inputs: 128, outputs: 6, name: "fc2", generator: &g)
        let net = Sequential(conv, ReLU(), Flatten(), fc1, ReLU(), fc2)
        for p in net.parameters { p.value = f[p.name]! }
        assertClose(net.forward(f["x"]!), f["q"], "Q values", tolerance: loose)
        net.parameters.zeroGradients()
        _ = net.backward(f["dq"]!)
        for p in net.parameters { assertClose(p.gradient, f["grad.\(p.name)"], "gradient of \(p.name)", tolerance: loose) }
    }
}
