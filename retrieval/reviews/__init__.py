"""Answers about the reviews themselves: records, stances, the rating chart."""
