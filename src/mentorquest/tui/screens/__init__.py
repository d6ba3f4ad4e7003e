"""The screens of the journey, in the order a participant meets them."""
