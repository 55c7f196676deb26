"""Whole-sequence recurrences with a hand-written backward pass.

Each function runs one recurrence over a time-major sequence whose input
projection `x W + b` was already computed for every step at once (one large
matmul instead of `T` small ones). Only the recurrent product `h R` stays in
the loop.

Why a hand-written gradient: automatic differentiation of a loop keeps a
stack of every intermediate tensor and, at each step of the backward loop,
computes and accumulates the weight gradient `h_t^T dz_t` with a small
matmul, in dozens of small ops per step. Here:

- the forward loop saves the pre-activations of each step;
- everything that does not depend on the incoming gradient (gate
  activations, their derivatives) is computed for all steps at once,
  outside the loop, as a few large elementwise ops;
- the backward loop keeps only what is truly sequential: a handful of ops
  and the matmul `dh_{t-1} = dz_t R^T`;
- the weight gradient is one large matmul over all steps afterwards:
  `dR = H_prev^T DZ` with `H_prev (T*B, U)` and `DZ (T*B, G*U)`.

Masks: `mask (T, B, 1)` of 0/1 in the compute dtype, or `None`. Where it is
0 the states carry over unchanged, as in `keras.layers.RNN`.

Recurrent dropout: `state_mask (B, U)`, or `None`: the state is multiplied
by it before the recurrent product, the same mask at every step (one mask
per sequence, Gal & Ghahramani 2016, as Keras' cells draw it). It is drawn
by the caller, outside the loop; inside, it costs one multiply a step, and
in the backward pass one on `dh` and one on the saved states.

Only `keras.ops` is used, so the kernels trace inside `tf.function`, XLA and
SavedModel export. The loops run on `keras_seq.ops._scan.scan`, which lets a
step save several activations while carrying only its state.

On TensorFlow the forward and the backward function of each kernel are
compiled with XLA (`keras_seq.ops._scan.compiled`), whatever the model's own
`jit_compile`: fusing the elementwise work of a step, and of the backward's
whole-sequence precompute, saves about a fifth of the time on CPU.
"""

from keras import ops

from keras_seq.ops._scan import compiled, scan


def _mix(mask, new, old):
    """`new` where mask is 1, `old` where it is 0."""
    if mask is None:
        return new
    return old + mask * (new - old)


def _grad_or_zeros(upstream, index, like):
    if len(upstream) == 1 and isinstance(upstream[0], (tuple, list)):
        upstream = upstream[0]  # JAX hands the gradients of several outputs over as one tuple
    grad = upstream[index] if index < len(upstream) else None
    return ops.zeros_like(like) if grad is None else grad


def _flat(x):
    """`(T, B, K)` -> `(T*B, K)`."""
    return ops.reshape(x, (-1, ops.shape(x)[-1]))


def _shift_right(seq, first):
    """`[first, seq_0, ..., seq_{T-2}]`: the states each step started from."""
    return ops.concatenate([ops.expand_dims(first, 0), seq[:-1]], axis=0)


def _dropped(h, state_mask):
    """The state as the recurrent product sees it."""
    return h if state_mask is None else h * state_mask


def _weight_grad(h_prev, dz):
    """`sum_t h_{t-1}^T dz_t` as one matmul: `(T, B, U), (T, B, K) -> (U, K)`."""
    return ops.matmul(ops.transpose(_flat(h_prev)), _flat(dz))


def _with_mask(xs, mask):
    return xs if mask is None else (*xs, mask)


def _split_mask(inputs, mask):
    """Undo `_with_mask` inside a scan step."""
    if mask is None:
        return inputs, None
    return inputs[:-1], inputs[-1]


@compiled
def _lstm_forward(xp, h_init, c_init, kernel, mask, state_mask):
    def step(carry, inputs):
        h, c = carry
        (x_t,), m_t = _split_mask(inputs, mask)
        z = x_t + ops.matmul(_dropped(h, state_mask), kernel)  # (B, 4U)
        z_i, z_f, z_g, z_o = ops.split(z, 4, axis=-1)
        c_new = _mix(m_t, ops.sigmoid(z_f) * c + ops.sigmoid(z_i) * ops.tanh(z_g), c)
        h_new = _mix(m_t, ops.sigmoid(z_o) * ops.tanh(c_new), h)  # (B, U)
        return (h_new, c_new), (h_new, c_new, z)

    _, (hs, cs, zs) = scan(step, (h_init, c_init), _with_mask((xp,), mask))
    return hs, cs, zs


@compiled
def _lstm_backward(d_hs, d_cs, hs, cs, zs, h_init, c_init, kernel, mask, state_mask):
    # every factor that does not depend on the incoming gradient, for all
    # steps at once
    z_i, z_f, z_g, z_o = ops.split(zs, 4, axis=-1)  # (T, B, U) each
    i, f, o = ops.sigmoid(z_i), ops.sigmoid(z_f), ops.sigmoid(z_o)
    g = ops.tanh(z_g)
    tc = ops.tanh(cs)
    c_prev = _shift_right(cs, c_init)
    d_out = tc * o * (1.0 - o)  # dz_o per unit of dh
    through_c = o * (1.0 - tc * tc)  # dc per unit of dh
    if mask is not None:
        d_out = d_out * mask
        through_c = through_c * mask
    # dz per unit of the cell-state gradient, gates i, f, g
    factors = ops.concatenate(
        [g * i * (1.0 - i), c_prev * f * (1.0 - f), i * (1.0 - g * g), d_out],
        axis=-1,
    )  # (T, B, 4U)
    kernel_t = ops.transpose(kernel)  # (4U, U)

    def back(carry, inputs):
        dh, dc = carry
        (d_h_t, d_c_t, through_t, factors_t, f_t), m_t = _split_mask(inputs, mask)
        dh = dh + d_h_t  # (B, U): total gradient of h_t
        dc = dc + d_c_t
        dc_gates = dh * through_t + (dc if m_t is None else dc * m_t)
        dz = ops.concatenate([dc_gates, dc_gates, dc_gates, dh], axis=-1) * factors_t
        dh_prev = _dropped(ops.matmul(dz, kernel_t), state_mask)  # (B, U)
        dc_prev = dc_gates * f_t
        if m_t is not None:
            dh_prev = dh_prev + dh * (1.0 - m_t)
            dc_prev = dc_prev + dc * (1.0 - m_t)
        return (dh_prev, dc_prev), (dh, dc_gates)

    xs_back = _with_mask((d_hs, d_cs, through_c, factors, f), mask)
    zeros = ops.zeros_like(h_init)
    (dh0, dc0), (dhs_total, dcs_gates) = scan(back, (zeros, zeros), xs_back, reverse=True)
    dzs = ops.concatenate([dcs_gates, dcs_gates, dcs_gates, dhs_total], axis=-1) * factors  # (T, B, 4U)
    d_kernel = _weight_grad(_dropped(_shift_right(hs, h_init), state_mask), dzs)  # (U, 4U)
    return dzs, dh0, dc0, d_kernel


def lstm_sequence(inputs_proj, h0, c0, recurrent_kernel, mask=None, state_mask=None):
    """LSTM recurrence with tanh/sigmoid, Keras gate order `i, f, g, o`.

    Args:
        inputs_proj: `(T, B, 4U)`, the inputs times the kernel plus the bias.
        h0, c0: `(B, U)` initial states.
        recurrent_kernel: `(U, 4U)`.
        mask: `(T, B, 1)` or None.
        state_mask: `(B, U)` recurrent dropout mask (scaled), or None.

    Returns:
        `(hs, cs)`, each `(T, B, U)`: the states after every step.
    """

    @ops.custom_gradient
    def run(xp, h_init, c_init, kernel):
        hs, cs, zs = _lstm_forward(xp, h_init, c_init, kernel, mask, state_mask)

        def grad(*upstream):
            d_hs = _grad_or_zeros(upstream, 0, hs)
            d_cs = _grad_or_zeros(upstream, 1, cs)
            return _lstm_backward(d_hs, d_cs, hs, cs, zs, h_init, c_init, kernel, mask, state_mask)

        return (hs, cs), grad

    return run(inputs_proj, h0, c0, recurrent_kernel)


@compiled
def _gru_forward(xp, h_init, kernel, bias, mask, state_mask):
    x_z, x_r, x_n = ops.split(xp, 3, axis=-1)  # (T, B, U) each

    def step(carry, inputs):
        (h,) = carry
        (xz_t, xr_t, xn_t), m_t = _split_mask(inputs, mask)
        hp = ops.matmul(_dropped(h, state_mask), kernel) + bias  # (B, 3U)
        h_z, h_r, h_n = ops.split(hp, 3, axis=-1)
        z = ops.sigmoid(xz_t + h_z)
        r = ops.sigmoid(xr_t + h_r)
        n = ops.tanh(xn_t + r * h_n)
        h_new = _mix(m_t, n + z * (h - n), h)  # (B, U)
        return (h_new,), (h_new, z, r, n, h_n)

    _, saved = scan(step, (h_init,), _with_mask((x_z, x_r, x_n), mask))
    return saved  # hs, z, r, n, h_n: (T, B, U) each


@compiled
def _gru_backward(d_hs, hs, z, r, n, h_n, h_init, kernel, mask, state_mask):
    h_prev = _shift_right(hs, h_init)  # (T, B, U)
    # gradients of the pre-activations per unit of dh_t
    d_n = (1.0 - z) * (1.0 - n * n)
    d_z = (h_prev - n) * z * (1.0 - z)
    d_r = d_n * h_n * r * (1.0 - r)
    keep = z
    if mask is not None:
        d_n, d_z, d_r = d_n * mask, d_z * mask, d_r * mask
        keep = 1.0 - mask + mask * z
    d_nr = d_n * r
    factors = ops.concatenate([d_z, d_r, d_nr], axis=-1)  # (T, B, 3U)
    kernel_t = ops.transpose(kernel)  # (3U, U)

    def back(carry, inputs):
        (dh,) = carry
        d_h_t, factors_t, keep_t = inputs
        dh = dh + d_h_t  # (B, U): total gradient of h_t
        d_hp = ops.concatenate([dh, dh, dh], axis=-1) * factors_t  # (B, 3U)
        dh_prev = dh * keep_t + _dropped(ops.matmul(d_hp, kernel_t), state_mask)
        return (dh_prev,), dh

    (dh0,), dhs_total = scan(back, (ops.zeros_like(h_init),), (d_hs, factors, keep), reverse=True)
    g_z, g_r = dhs_total * d_z, dhs_total * d_r  # (T, B, U)
    d_hps = ops.concatenate([g_z, g_r, dhs_total * d_nr], axis=-1)  # (T, B, 3U)
    d_xp = ops.concatenate([g_z, g_r, dhs_total * d_n], axis=-1)
    d_kernel = _weight_grad(_dropped(h_prev, state_mask), d_hps)  # (U, 3U)
    d_bias = ops.sum(_flat(d_hps), axis=0)  # (3U,)
    return d_xp, dh0, d_kernel, d_bias


def gru_sequence(inputs_proj, h0, recurrent_kernel, recurrent_bias=None, mask=None, state_mask=None):
    """GRU recurrence (`reset_after=True`), tanh/sigmoid, gate order `z, r, n`.

    Args:
        inputs_proj: `(T, B, 3U)`, the inputs times the kernel plus the
            input bias.
        h0: `(B, U)` initial state.
        recurrent_kernel: `(U, 3U)`.
        recurrent_bias: `(3U,)` or None.
        mask: `(T, B, 1)` or None.
        state_mask: `(B, U)` recurrent dropout mask (scaled), or None.

    Returns:
        hs `(T, B, U)`: the state after every step.
    """
    if recurrent_bias is None:
        recurrent_bias = ops.zeros((ops.shape(recurrent_kernel)[-1],), recurrent_kernel.dtype)

    @ops.custom_gradient
    def run(xp, h_init, kernel, bias):
        hs, z, r, n, h_n = _gru_forward(xp, h_init, kernel, bias, mask, state_mask)

        def grad(*upstream):
            d_hs = _grad_or_zeros(upstream, 0, hs)
            return _gru_backward(d_hs, hs, z, r, n, h_n, h_init, kernel, mask, state_mask)

        return hs, grad

    return run(inputs_proj, h0, recurrent_kernel, recurrent_bias)


@compiled
def _simple_rnn_forward(xp, h_init, kernel, mask, state_mask):
    def step(carry, inputs):
        (h,) = carry
        (x_t,), m_t = _split_mask(inputs, mask)
        h_step = ops.tanh(x_t + ops.matmul(_dropped(h, state_mask), kernel))  # (B, U)
        if m_t is None:
            return (h_step,), (h_step,)
        return (_mix(m_t, h_step, h),), (_mix(m_t, h_step, h), h_step)

    _, saved = scan(step, (h_init,), _with_mask((xp,), mask))
    return saved[0], saved[-1]  # hs and the unmasked steps (the same tensor without a mask)


@compiled
def _simple_rnn_backward(d_hs, hs, steps, h_init, kernel, mask, state_mask):
    factors = 1.0 - steps * steps  # (T, B, U)
    if mask is not None:
        factors = factors * mask
    kernel_t = ops.transpose(kernel)  # (U, U)

    def back(carry, inputs):
        (dh,) = carry
        (d_h_t, factors_t), m_t = _split_mask(inputs, mask)
        dh = dh + d_h_t  # (B, U): total gradient of h_t
        dz = dh * factors_t  # (B, U)
        dh_prev = _dropped(ops.matmul(dz, kernel_t), state_mask)
        if m_t is not None:
            dh_prev = dh_prev + dh * (1.0 - m_t)
        return (dh_prev,), dz

    (dh0,), dzs = scan(
        back, (ops.zeros_like(h_init),), _with_mask((d_hs, factors), mask), reverse=True
    )  # dzs (T, B, U)
    d_kernel = _weight_grad(_dropped(_shift_right(hs, h_init), state_mask), dzs)  # (U, U)
    return dzs, dh0, d_kernel


def simple_rnn_sequence(inputs_proj, h0, recurrent_kernel, mask=None, state_mask=None):
    """Elman recurrence with tanh.

    Args:
        inputs_proj: `(T, B, U)`, the inputs times the kernel plus the bias.
        h0: `(B, U)` initial state.
        recurrent_kernel: `(U, U)`.
        mask: `(T, B, 1)` or None.
        state_mask: `(B, U)` recurrent dropout mask (scaled), or None.

    Returns:
        hs `(T, B, U)`: the state after every step.
    """

    @ops.custom_gradient
    def run(xp, h_init, kernel):
        hs, steps = _simple_rnn_forward(xp, h_init, kernel, mask, state_mask)

        def grad(*upstream):
            d_hs = _grad_or_zeros(upstream, 0, hs)
            return _simple_rnn_backward(d_hs, hs, steps, h_init, kernel, mask, state_mask)

        return hs, grad

    return run(inputs_proj, h0, recurrent_kernel)
