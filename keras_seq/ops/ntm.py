"""The Neural Turing Machine's recurrence over a whole sequence, with a
hand-written backward pass.

`NTMCell` written step by step and differentiated automatically spends most
of a training step on memory-sized tensors `(B, N, M)`: the forward pass
makes several of them per step (norms, content scores, reads, the erase and
add products) and the gradient of the loop keeps every one of them on a
stack, then runs the same number again backwards. Here:

- the forward loop saves, per step, only the memory it started from and a
  few small tensors (the LSTM's pre-activations, the head parameters before
  clipping, the content scores and the memory's row norms);
- the backward loop recomputes the small addressing quantities of its step
  from those and runs the memory-sized work of a step in a handful of fused
  products: `dM` through the erase and add, the reads and the content
  scores, in one pass each;
- the weight gradients are large matmuls over all steps at once afterwards,
  as in `keras_seq.ops.recurrence`.

Both loops are compiled with XLA on TensorFlow (`_scan.compiled`). The
kernel covers the LSTM controller without a mask, which is how the NTM
trains on its tasks; `keras_seq.layers.NTM` runs the cell step by step for
everything else. The numbers are those of `NTMCell` (a test compares
outputs and gradients).
"""

import collections
import functools

from keras import ops

from keras_seq.ops._scan import compiled, scan
from keras_seq.ops.recurrence import _flat, _grad_or_zeros, _shift_right, _weight_grad

NTMShape = collections.namedtuple(
    "NTMShape", "memory_size memory_width read_heads write_heads shift_range clip epsilon"
)


def _sum(x, axis):
    return ops.sum(x, axis=axis, keepdims=True)


def _outer(rows, cols):
    """`sum_h rows_h cols_h^T`: `(B, H, N), (B, H, M) -> (B, N, M)`."""
    return ops.sum(ops.expand_dims(rows, -1) * ops.expand_dims(cols, -2), axis=1)


def _contract_rows(weights, memory):
    """`weights M`: `(B, H, N), (B, N, M) -> (B, H, M)`."""
    return ops.sum(ops.expand_dims(weights, -1) * ops.expand_dims(memory, 1), axis=2)


def _contract_cols(vectors, memory):
    """`vectors M^T`: `(B, H, M), (B, N, M) -> (B, H, N)`."""
    return ops.sum(ops.expand_dims(vectors, 2) * ops.expand_dims(memory, 1), axis=-1)


@functools.lru_cache(maxsize=None)
def _kernels(shape):
    """The compiled forward and backward functions for one memory layout."""
    n, m, r, w, s, clip, eps = shape
    offsets = tuple(range(-s, s + 1))
    head = m + 3 + len(offsets)  # key, beta, gate, shift, gamma

    def split_params(p):
        """`(B, P)` -> key `(B, H, M)`, beta, gate, shift `(B, H, S)`,
        gamma, erase `(B, W, M)`, add `(B, W, M)` (beta, gate, gamma
        `(B, H, 1)`), all before their activations."""
        read_p, write_p = ops.split(p, [r * head], axis=-1)
        read_p = ops.reshape(read_p, (-1, r, head))  # (B, R, P_h)
        write_p = ops.reshape(write_p, (-1, w, head + 2 * m))  # (B, W, P_h + 2M)
        write_p, erase, add = ops.split(write_p, [head, head + m], axis=-1)
        heads = ops.concatenate([read_p, write_p], axis=1)  # (B, H, P_h)
        key, beta, gate, shift, gamma = ops.split(heads, [m, m + 1, m + 2, m + 2 + len(offsets)], axis=-1)
        return key, beta, gate, shift, gamma, erase, add

    def key_norm(key):
        return ops.sqrt(_sum(ops.square(key), -1))  # (B, H, 1)

    def shift_weights(gated, shift):
        """The circular convolution of `gated (B, H, N)` with `shift (B, H, S)`."""
        out = 0.0
        for k, offset in enumerate(offsets):
            out = out + ops.roll(gated, offset, axis=-1) * shift[..., k : k + 1]  # (B, H, N)
        return out

    def step_forward(
        xp_t, h, c, memory, reads, previous, read_kernel, recurrent_kernel, interface_kernel, interface_bias
    ):
        z = xp_t + ops.matmul(reads, read_kernel) + ops.matmul(h, recurrent_kernel)  # (B, 4U)
        z_i, z_f, z_g, z_o = ops.split(z, 4, axis=-1)
        c_new = ops.sigmoid(z_f) * c + ops.sigmoid(z_i) * ops.tanh(z_g)  # (B, U)
        h_new = ops.sigmoid(z_o) * ops.tanh(c_new)  # (B, U)
        p_raw = ops.matmul(ops.clip(h_new, -clip, clip), interface_kernel) + interface_bias  # (B, P)
        key, beta, gate, shift, gamma, erase, add = split_params(ops.clip(p_raw, -clip, clip))
        query = key * ops.softplus(beta) / (key_norm(key) + eps)  # (B, H, M)
        norms = ops.sqrt(ops.sum(ops.square(memory), axis=-1)) + eps  # (B, N)
        score = _contract_cols(query, memory) / ops.expand_dims(norms, 1)  # (B, H, N)
        gate = ops.sigmoid(gate)
        gated = gate * ops.softmax(score, axis=-1) + (1.0 - gate) * previous  # (B, H, N)
        sharp = ops.power(shift_weights(gated, ops.softmax(shift, axis=-1)) + eps, 1.0 + ops.softplus(gamma))
        weights = sharp / _sum(sharp, -1)  # (B, H, N)
        read_w, write_w = ops.split(weights, [r], axis=1)
        new_reads = _contract_rows(read_w, memory)  # (B, R, M)
        erase, add = ops.sigmoid(erase), ops.tanh(add)  # (B, W, M)
        kept = 1.0
        for j in range(w):
            kept = kept * (1.0 - ops.expand_dims(write_w[:, j], -1) * ops.expand_dims(erase[:, j], 1))  # (B, N, M)
        new_memory = memory * kept + _outer(write_w, add)  # (B, N, M)
        saved = (z, p_raw, score, norms, memory)
        return (h_new, c_new, new_memory, ops.reshape(new_reads, (-1, r * m)), weights), saved

    @compiled
    def forward(xp, h0, c0, memory0, reads0, weights0, read_kernel, recurrent_kernel, interface_kernel, interface_bias):
        def step(carry, inputs):
            (x_t,) = inputs
            new_carry, saved = step_forward(
                x_t, *carry, read_kernel, recurrent_kernel, interface_kernel, interface_bias
            )
            h_new, c_new, _, new_reads, weights = new_carry
            return new_carry, (h_new, c_new, new_reads, weights, *saved)

        carry, outputs = scan(step, (h0, c0, memory0, reads0, weights0), (xp,))
        return (carry[2], *outputs)  # final memory; hs, cs, reads, weights, zs, p_raws, scores, norms, memories

    @compiled
    def backward(
        d_hs, d_cs, d_reads, d_weights, d_memory,
        hs, cs, reads, weights, zs, p_raws, scores, norms, memories,
        h0, c0, reads0, weights0,
        read_kernel, recurrent_kernel, interface_kernel,
    ):  # fmt: skip
        c_prev = _shift_right(cs, c0)  # (T, B, U)
        previous = _shift_right(weights, weights0)  # (T, B, H, N)
        interface_t = ops.transpose(interface_kernel)  # (P, U)
        recurrent_t = ops.transpose(recurrent_kernel)  # (4U, U)
        read_t = ops.transpose(read_kernel)  # (4U, R*M)

        def back(carry, inputs):
            dh, dc, dmem, dr, dw = carry
            d_h_t, d_c_t, d_r_t, d_w_t, h_t, c_t, cp_t, z_t, p_raw, score, norm, memory, prev_w, w_t = inputs
            # ---- recompute the step's small quantities
            key, beta, gate, shift, gamma, erase, add = split_params(ops.clip(p_raw, -clip, clip))
            beta_a, gate_a, shift_a = ops.softplus(beta), ops.sigmoid(gate), ops.softmax(shift, axis=-1)
            gamma_a = 1.0 + ops.softplus(gamma)
            knorm = key_norm(key)  # (B, H, 1)
            query = key * beta_a / (knorm + eps)  # (B, H, M)
            content = ops.softmax(score, axis=-1)  # (B, H, N)
            gated = gate_a * content + (1.0 - gate_a) * prev_w
            shifted = shift_weights(gated, shift_a) + eps  # (B, H, N)
            sharp = ops.power(shifted, gamma_a)
            total = _sum(sharp, -1)
            read_w, write_w = ops.split(w_t, [r], axis=1)  # (B, R, N), (B, W, N)
            erase_a, add_a = ops.sigmoid(erase), ops.tanh(add)  # (B, W, M)
            # ---- the memory's update: M' = M * prod_j K_j + sum_j w_j a_j^T
            factors = [
                1.0 - ops.expand_dims(write_w[:, j], -1) * ops.expand_dims(erase_a[:, j], 1) for j in range(w)
            ]  # (B, N, M) each
            kept = functools.reduce(lambda a, b: a * b, factors)
            dmem_prev = dmem * kept  # (B, N, M)
            d_kept = dmem * memory
            d_write, d_erase, d_add = [], [], []
            for j in range(w):
                d_factor = d_kept
                for other in range(w):
                    if other != j:
                        d_factor = d_factor * factors[other]
                e_j, a_j = ops.expand_dims(erase_a[:, j], 1), ops.expand_dims(add_a[:, j], 1)  # (B, 1, M)
                d_write.append(ops.sum(dmem * a_j - d_factor * e_j, axis=-1))  # (B, N)
                w_j = ops.expand_dims(write_w[:, j], -1)  # (B, N, 1)
                d_erase.append(-ops.sum(d_factor * w_j, axis=1))  # (B, M)
                d_add.append(ops.sum(dmem * w_j, axis=1))
            d_erase = ops.stack(d_erase, axis=1) * erase_a * (1.0 - erase_a)  # (B, W, M), before the sigmoid
            d_add = ops.stack(d_add, axis=1) * (1.0 - add_a * add_a)  # before the tanh
            # ---- the reads: r = w_r M
            d_read = ops.reshape(d_r_t + dr, (-1, r, m))  # (B, R, M)
            dmem_prev = dmem_prev + _outer(read_w, d_read)
            d_read_w = _contract_cols(d_read, memory)  # (B, R, N)
            dw = dw + d_w_t + ops.concatenate([d_read_w, ops.stack(d_write, axis=1)], axis=1)  # (B, H, N)
            # ---- sharpening, shift, interpolation
            d_sharp = (dw - _sum(dw * w_t, -1)) / total  # (B, H, N)
            d_gamma = _sum(d_sharp * sharp * ops.log(shifted), -1)  # (B, H, 1)
            d_shifted = d_sharp * gamma_a * sharp / shifted
            d_gated = 0.0
            d_shift = []
            for k, offset in enumerate(offsets):
                d_gated = d_gated + ops.roll(d_shifted, -offset, axis=-1) * shift_a[..., k : k + 1]
                d_shift.append(_sum(d_shifted * ops.roll(gated, offset, axis=-1), -1))
            d_shift = ops.concatenate(d_shift, axis=-1)  # (B, H, S)
            d_gate = _sum(d_gated * (content - prev_w), -1)  # (B, H, 1)
            dw_prev = (1.0 - gate_a) * d_gated  # (B, H, N): to the previous step's weightings
            d_content = gate_a * d_gated
            # ---- content addressing: softmax(q . M_i / |M_i|)
            d_score = content * (d_content - _sum(d_content * content, -1))  # (B, H, N)
            norm_b = ops.expand_dims(norm, 1)  # (B, 1, N)
            d_dots = d_score / norm_b
            d_norm = -ops.sum(d_score * score, axis=1) / norm  # (B, N)
            d_query = _contract_rows(d_dots, memory)  # (B, H, M)
            # |M_i| = norm - eps; an all-zero row (erased, or flushed to zero
            # under XLA) has a zero direction, not 0 / 0
            unit_rows = memory / ops.expand_dims(ops.maximum(norm - eps, 1e-12), -1)  # (B, N, M)
            dmem_prev = dmem_prev + _outer(d_dots, query) + ops.expand_dims(d_norm, -1) * unit_rows
            # ---- the query: beta * key / (|key| + eps)
            unit_key = key / ops.maximum(knorm, 1e-12)  # (B, H, M); zero for a zero key
            d_q_unit = _sum(d_query * unit_key, -1)  # (B, H, 1)
            scale = beta_a / (knorm + eps)
            d_key = scale * (d_query - unit_key * d_q_unit * knorm / (knorm + eps))
            d_beta = d_q_unit * knorm / (knorm + eps) * ops.sigmoid(beta)
            d_gamma = d_gamma * ops.sigmoid(gamma)
            d_gate = d_gate * gate_a * (1.0 - gate_a)
            d_shift = shift_a * (d_shift - _sum(d_shift * shift_a, -1))
            d_heads = ops.concatenate([d_key, d_beta, d_gate, d_shift, d_gamma], axis=-1)  # (B, H, P_h)
            d_read_p, d_write_p = ops.split(d_heads, [r], axis=1)
            d_write_p = ops.concatenate([d_write_p, d_erase, d_add], axis=-1)  # (B, W, P_h + 2M)
            d_p = ops.concatenate(
                [ops.reshape(d_read_p, (-1, r * head)), ops.reshape(d_write_p, (-1, w * (head + 2 * m)))], axis=-1
            )
            d_p = d_p * ops.cast((p_raw >= -clip) & (p_raw <= clip), d_p.dtype)  # (B, P)
            # ---- the controller
            d_hc = ops.matmul(d_p, interface_t) * ops.cast((h_t >= -clip) & (h_t <= clip), d_p.dtype)
            dh = dh + d_h_t + d_hc  # (B, U): total gradient of h_t
            dc = dc + d_c_t
            z_i, z_f, z_g, z_o = ops.split(z_t, 4, axis=-1)
            i, f, o, g = ops.sigmoid(z_i), ops.sigmoid(z_f), ops.sigmoid(z_o), ops.tanh(z_g)
            tc = ops.tanh(c_t)
            dc = dc + dh * o * (1.0 - tc * tc)
            dz = ops.concatenate(
                [dc * g * i * (1.0 - i), dc * cp_t * f * (1.0 - f), dc * i * (1.0 - g * g), dh * tc * o * (1.0 - o)],
                axis=-1,
            )  # (B, 4U)
            new_carry = (ops.matmul(dz, recurrent_t), dc * f, dmem_prev, ops.matmul(dz, read_t), dw_prev)
            return new_carry, (dz, d_p)

        zeros_h = ops.zeros_like(h0)
        init = (zeros_h, zeros_h, d_memory, ops.zeros_like(reads0), ops.zeros_like(weights0))
        xs = (d_hs, d_cs, d_reads, d_weights, hs, cs, c_prev, zs, p_raws, scores, norms, memories, previous, weights)
        (dh0, dc0, dmem0, dr0, dw0), (dzs, d_ps) = scan(back, init, xs, reverse=True)
        d_read_kernel = _weight_grad(_shift_right(reads, reads0), dzs)  # (R*M, 4U)
        d_recurrent = _weight_grad(_shift_right(hs, h0), dzs)  # (U, 4U)
        d_interface = _weight_grad(ops.clip(hs, -clip, clip), d_ps)  # (U, P)
        d_bias = ops.sum(_flat(d_ps), axis=0)  # (P,)
        return dzs, dh0, dc0, dmem0, dr0, dw0, d_read_kernel, d_recurrent, d_interface, d_bias

    return forward, backward


def ntm_sequence(
    inputs_proj,
    initial_state,
    read_kernel,
    recurrent_kernel,
    interface_kernel,
    interface_bias,
    shape,
):
    """The NTM recurrence with an LSTM controller, over a whole sequence.

    Args:
        inputs_proj: `(T, B, 4U)`: the inputs times the rows of the
            controller's kernel that take the inputs, plus its bias.
        initial_state: `(h0, c0, memory0, reads0, weightings0)`: `(B, U)`
            twice, `(B, N, M)`, `(B, R*M)` and `(B, R+W, N)` (read heads
            first).
        read_kernel: `(R*M, 4U)`, the controller kernel's rows that take
            the previous reads.
        recurrent_kernel: `(U, 4U)`.
        interface_kernel, interface_bias: `(U, P)` and `(P,)`, the dense
            layer from the clipped controller output to the head parameters
            (laid out as in `NTMCell`).
        shape: an `NTMShape`.

    Returns:
        `(hs, cs, reads, weightings, memory)`: the controller's states
        `(T, B, U)` each (not clipped), the reads `(T, B, R*M)` and the
        weightings `(T, B, R+W, N)` after every step, and the final memory
        `(B, N, M)`.
    """
    forward, backward = _kernels(NTMShape(*shape))

    @ops.custom_gradient
    def run(xp, h0, c0, memory0, reads0, weights0, read_k, recurrent_k, interface_k, interface_b):
        memory, hs, cs, reads, weights, zs, p_raws, scores, norms, memories = forward(
            xp, h0, c0, memory0, reads0, weights0, read_k, recurrent_k, interface_k, interface_b
        )

        def grad(*upstream):
            outputs = (hs, cs, reads, weights, memory)
            d_outputs = [_grad_or_zeros(upstream, i, like) for i, like in enumerate(outputs)]
            return backward(
                *d_outputs,
                hs, cs, reads, weights, zs, p_raws, scores, norms, memories,
                h0, c0, reads0, weights0,
                read_k, recurrent_k, interface_k,
            )  # fmt: skip

        return (hs, cs, reads, weights, memory), grad

    return run(inputs_proj, *initial_state, read_kernel, recurrent_kernel, interface_kernel, interface_bias)
