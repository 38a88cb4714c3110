"""For you: features, the learnt model, confidence, teaching papers and more like this."""
