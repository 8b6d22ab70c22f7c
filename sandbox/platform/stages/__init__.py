"""What each stage shows the trainee and what they may do there."""
