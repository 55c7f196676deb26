"""`keras-seq caption <action>`: the shared actions, `predict` and `plot`."""

from keras_seq.applications.caption.config import CaptionerConfig, CaptionerDecodeOptions
from keras_seq.applications.cli import AppCommand


class CaptionCommand(AppCommand):
    """`keras-seq caption`: the shared actions and `predict` (captions of
    image files) and `plot` (an image's attention overlay, PNG).

    Examples:
        >>> keras-seq caption train --data embedded --time-budget 300
        >>> keras-seq caption predict photo.jpg --beam-width 5
        >>> keras-seq caption plot photo.jpg --output attention.png
    """

    help = "image captioner: CNN encoder, attending recurrent decoder, beam search, BLEU and CIDEr, attention overlays"
    description = "Image captioning (show, attend and tell) with our attention decoder."
    config_class = CaptionerConfig
    evaluate_options = CaptionerDecodeOptions
    data_help = (
        "a folder of images with a captions file (Flickr8k's, CSV image,caption or COCO's captions_*.json), "
        "or that file"
    )
    task = "keras_seq.applications.caption.task:Captioner"

    def add_actions(self, actions):
        predict = self.add_predict(actions, "caption images given on the command line or in --input", "image")
        self.add_evaluate_flags(predict)

        plot = self.add_plot(
            actions, "write the attention overlay of an image's caption as a PNG: the image under each word's weights"
        )
        plot.add_argument("image")
        self.add_evaluate_flags(plot, only=("beam_width",))

    def after_train(self, task, history):
        sample = history.validation_examples.subset(range(min(3, len(history.validation_examples))))
        for captions, caption in zip(sample.captions, task.caption(sample.images)):
            print(f"{captions[0]}  ->  {caption}")

    def run_predict(self, args):
        images = self.predict_inputs(args)
        for image, caption in zip(images, self.load(args).caption(images, **self.evaluate_kwargs(args))):
            print(f"{image}\t{caption}")

    def run_plot(self, args):
        self.load(args).plot_attention(args.image, args.output, beam_width=args.beam_width)
        print(f"attention overlay written to {args.output}")


COMMAND = CaptionCommand()
