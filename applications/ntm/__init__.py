"""Neural Turing Machine algorithmic tasks (`keras-seq ntm`): copy, repeat
copy, associative recall and priority sort (Graves et al., 2014)."""
