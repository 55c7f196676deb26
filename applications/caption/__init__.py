"""Image captioner (`keras-seq caption`, in progress): for now its data,
folders of images with captions (Flickr8k, CSV or COCO format) and the
embedded strips of handwritten digits.

from keras_seq.applications.caption import embedded_captions, read_folder
data = read_folder("Flickr8k")  # images and their captions
"""

from keras_seq.applications import lazy_exports

__getattr__, __all__ = lazy_exports(
    __name__,
    {"data": ("Captioned", "embedded_captions", "read_folder", "read_image")},
)
