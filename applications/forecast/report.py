"""The forecaster's evaluation in words: the table of the model beside its
baselines, and the verdict a user reads first."""

from keras_seq.training.forecast_scores import MARGIN


def describe(metrics):
    """`Forecaster.evaluate`'s metrics in words: a table of the model and
    the baselines, the interval's coverage, and whether the model beats
    the random walk and every baseline (by `MARGIN`)."""
    rows = [("model", metrics)] + list(metrics["baselines"].items())
    lines = [
        f"{metrics['windows']} windows of {metrics['horizon']} steps (MSE and MAE standardized, MASE and sMAPE "
        "on the original scale):",
        f"{'':<20}{'mse':>10}{'mae':>10}{'mase':>10}{'smape':>10}",
    ]
    lines += [
        f"{name.replace('_', ' '):<20}{r['mse']:>10.4f}{r['mae']:>10.4f}{r['mase']:>10.4f}{r['smape']:>10.2f}"
        for name, r in rows
    ]
    if "coverage" in metrics:
        lines.append(
            f"interval coverage {metrics['coverage']:.1f}% (nominal {metrics['nominal_coverage']:.0f}%), "
            f"weighted quantile loss {metrics['weighted_quantile_loss']:.4f}"
        )
    last = metrics["baselines"]["repeat_last"]
    if not metrics["beats_repeat_last"]:
        lines.append(
            f"The model does NOT beat repeating the last value here (MSE {metrics['mse']:.4f} against "
            f"{last['mse']:.4f}; {MARGIN:.0%} lower would count): on this series the last value is as good a "
            "forecast, as is usual for prices."
        )
    elif not metrics["beats_every_baseline"]:
        lines.append(
            f"The model beats repeating the last value but not the {metrics['best_baseline'].replace('_', ' ')} "
            "baseline: use that, or train longer."
        )
    else:
        lines.append("The model beats every baseline on these windows.")
    return "\n".join(lines)
